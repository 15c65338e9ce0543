package dev.falcon.train;

import dev.falcon.unlearn.FalconFixtures;
import dev.falcon.engine.Tensor;
import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** SophiaG as the official code imports it, step by step (fixtures/falcon/sophiag.safetensors). */
class SophiaGFixtureTest {

    @Test
    void sophiaGReproducesTheZetaStepsOfTheOfficialCode() {
        try (SafetensorsFile f = FalconFixtures.open("sophiag.safetensors")) {
            Map<String, String> meta = f.metadata();
            String[] betas = meta.get("betas").split(",");
            SophiaG sophia = new SophiaG(Double.parseDouble(meta.get("lr")), Double.parseDouble(betas[0]),
                    Double.parseDouble(betas[1]), Double.parseDouble(meta.get("rho")),
                    Double.parseDouble(meta.get("weight_decay")), Double.parseDouble(meta.get("bs")));
            Tensor param = FalconFixtures.tensor(f, "param.init");
            int steps = 0;
            while (f.contains("param." + steps)) {
                sophia.step(List.of(param), List.of(FalconFixtures.tensor(f, "grad." + steps)));
                assertCloseEnough(f.floats("param." + steps), param.toFloats(), steps);
                steps++;
            }
            assertTrue(steps > 0, "the fixture holds no step");
        }
    }

    /**
     * At least 99.9% of the elements within 1e-5, as the fixtures suggest: a sign-based update can flip where a
     * moving average is ~0.
     */
    private static void assertCloseEnough(float[] expected, float[] actual, int step) {
        int close = 0;
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            close += d <= 1e-5 ? 1 : 0;
            max = Math.max(max, d);
        }
        System.out.printf("SophiaG step %d: max abs error %.3e, %d/%d within 1e-5%n",
                step, max, close, expected.length);
        assertTrue(close >= 0.999 * expected.length, "step " + step + ": only " + close + " close");
    }
}
