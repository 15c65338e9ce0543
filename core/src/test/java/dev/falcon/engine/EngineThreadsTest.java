package dev.falcon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * FALCON_THREADS must bound every pool that runs the engine's math: libtorch's and OpenBLAS's (which
 * libtorch's own setting leaves at one thread per core). The README's test runs set it to 1 and 2.
 */
class EngineThreadsTest {

    @Test
    void falconThreadsSizesLibtorchAndOpenBlas() {
        String threads = System.getProperty("falcon.threads", System.getenv("FALCON_THREADS"));
        assumeTrue(threads != null, "FALCON_THREADS is not set in this run");
        int n = Integer.parseInt(threads.trim());
        assertEquals(n, Engine.threads());
        assertEquals(n, Engine.blasThreads());
    }
}
