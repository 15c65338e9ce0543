package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientProjectionTest {

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
}
