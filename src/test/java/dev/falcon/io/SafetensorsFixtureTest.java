package dev.falcon.io;

import dev.falcon.SharedData;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads a fixture written in Python by the official FALCON code's test harness. */
class SafetensorsFixtureTest {

    @Test
    void sophiagFixtureHasItsSettingsAndEightByEightParameters() {
        try (SafetensorsFile st = SafetensorsFile.open(SharedData.fixtures().resolve("falcon/sophiag.safetensors"))) {
            assertEquals(Map.of("lr", "0.001", "rho", "0.9", "weight_decay", "0.001", "betas", "0.965,0.99",
                    "bs", "5120"), st.metadata());
            TensorInfo init = st.info("param.init");
            assertEquals(DType.F32, init.dtype());
            assertArrayEquals(new long[] {8, 8}, init.shape());
            assertEquals(64, st.floats("param.init").length);
            // param.init, then grad.S and param.S for steps 0..5
            assertEquals(13, st.tensors().size());
            assertEquals("param.5", st.tensors().get(12).name());
        }
    }
}
