package dev.falcon.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * glibc's malloc, which libtorch's CPU allocator and OpenBLAS allocate from: the one setting the engine changes
 * while running, through JNA (already on the class path through DJL; JavaCPP binds no mallopt).
 */
final class GlibcMalloc {

    /** mallopt's parameter for the size from which a block is mapped on its own (malloc.h: M_MMAP_THRESHOLD). */
    private static final int M_MMAP_THRESHOLD = -3;

    private interface C extends Library {
        int mallopt(int param, int value);
    }

    private GlibcMalloc() {
    }

    /**
     * Blocks of {@code bytes} and more are mapped afresh and unmapped when freed; glibc stops adapting the
     * threshold (it raises it to the size of each large block freed, up to 32 MiB, which keeps freed tensors
     * for reuse). False where glibc refused the value, or where JNA or glibc's mallopt cannot be loaded.
     */
    static boolean setMmapThreshold(int bytes) {
        try {
            return Native.load("c", C.class).mallopt(M_MMAP_THRESHOLD, bytes) == 1;
        } catch (LinkageError e) {
            // JNA's native part could not be loaded (a temporary folder without exec rights) or no mallopt
            return false;
        }
    }
}
