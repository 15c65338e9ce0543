package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientProjectionTest {

    @Test
    void matchesTheOfficialCodeInEveryBranch() {
        // The fixture holds a conflicting pair, an aligned pair and a zero retain gradient.
        try (SafetensorsFile f = FalconFixtures.open("conflict.safetensors")) {
            GradientProjection projection = new GradientProjection(
                    weights(f.metadata().get("conflict_weights")), weights(f.metadata().get("align_weights")));
            float[] cosines = f.floats("cosine");
            for (int i = 0; i < cosines.length; i++) {
                GradientProjection.Combined c = projection.combine(FalconFixtures.tensor(f, "unlearn." + i),
                        FalconFixtures.tensor(f, "retain." + i));
                double err = FalconFixtures.maxAbsDiff(FalconFixtures.tensor(f, "combined." + i), c.gradient());
                System.out.printf("conflict %d: cosine %.6f (expected %.6f), max abs error %.3e%n",
                        i, c.cosine(), cosines[i], err);
                assertEquals(cosines[i], c.cosine(), 1e-6);
                assertTrue(err < 1e-5, "tensor " + i + ": max abs error " + err);
            }
        }
    }

    @Test
    void theProjectedForgetGradientIsOrthogonalToTheRetainGradient() {
        // g_F = (1, 0), g_R = (-1, 1): cosine -1/sqrt(2) < 0, so g_F' = g_F - (-1/2) g_R = (0.5, 0.5),
        // orthogonal to g_R; with weights (1, 0) the result is g_F' itself.
        GradientProjection onlyForget = new GradientProjection(new GradientProjection.Weights(1, 0),
                GradientProjection.OFFICIAL_ALIGN);
        GradientProjection.Combined c = onlyForget.combine(Tensor.of(new float[] {1, 0}, 2),
                Tensor.of(new float[] {-1, 1}, 2));
        assertEquals(-Math.sqrt(0.5), c.cosine(), 1e-6);
        assertArrayEquals(new float[] {0.5f, 0.5f}, c.gradient().toFloats(), 1e-7f);
    }

    private static GradientProjection.Weights weights(String csv) {
        String[] w = csv.split(",");
        return new GradientProjection.Weights(Double.parseDouble(w[0]), Double.parseDouble(w[1]));
    }
}
