package dev.falcon.engine;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.falcon.FreshJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlibcMallocTest {

    /** glibc's chunk header bit for a block mapped on its own (malloc.c: IS_MMAPPED). */
    private static final long IS_MMAPPED = 0x2;

    private static final long BLOCK = 12L << 20;

    /**
     * The threshold decides where glibc puts a 12 MiB block: in the heap at a 16 MiB threshold, mapped on its own
     * at 4 MiB. Read from the block's chunk header, the size word just before the pointer malloc returns. In a
     * fresh JVM: in this one, earlier tests leave free chunks of that size in glibc's bins, which malloc reuses
     * whatever the threshold.
     */
    @Test
    void aTwelveMiBBlockIsMappedOnItsOwnOnlyBelowTheThreshold() throws IOException, InterruptedException {
        assertEquals("heap mapped", FreshJvm.lastLine(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), Map.of(),
                Probe.class));
    }

    /** In the child JVM: where a 12 MiB block goes at a 16 MiB threshold, then at 4 MiB. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(placeAt(16 << 20) + " " + placeAt(4 << 20));
        }

        private static String placeAt(int threshold) {
            if (!GlibcMalloc.setMmapThreshold(threshold)) {
                return "refused";
            }
            long block = Native.malloc(BLOCK);
            try {
                return (new Pointer(block).getLong(-Long.BYTES) & IS_MMAPPED) != 0 ? "mapped" : "heap";
            } finally {
                Native.free(block);
            }
        }
    }
}
