package dev.falcon.engine;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlibcMallocTest {

    /** glibc's chunk header bit for a block mapped on its own (malloc.c: IS_MMAPPED). */
    private static final long IS_MMAPPED = 0x2;

    /**
     * The threshold decides where glibc puts an 8 MiB block: mapped on its own below it, in the heap above it.
     * Read from the block's chunk header, the size word just before the pointer malloc returns. Ends at the
     * large-model threshold, which the test JVMs ran with before it was set at run time.
     */
    @Test
    void anEightMiBBlockIsMappedOnItsOwnOnlyBelowTheThreshold() {
        assertTrue(GlibcMalloc.setMmapThreshold(16 << 20));
        assertEquals(0, chunkFlags(8 << 20) & IS_MMAPPED);
        assertTrue(GlibcMalloc.setMmapThreshold(4 << 20));
        assertEquals(IS_MMAPPED, chunkFlags(8 << 20) & IS_MMAPPED);
    }

    private static long chunkFlags(long bytes) {
        long block = Native.malloc(bytes);
        try {
            return new Pointer(block).getLong(-Long.BYTES) & 0x7;
        } finally {
            Native.free(block);
        }
    }
}
