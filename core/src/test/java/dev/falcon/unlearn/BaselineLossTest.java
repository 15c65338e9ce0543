package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineLossTest {

    /** -log sigmoid(x) = log(1 + e^-x). */
    private static double softplusNeg(double x) {
        return Math.log1p(Math.exp(-x));
    }

    @Test
    void npoIsTwoOverBetaLn2WhenTheModelIsItsReference() {
        Tensor ll = Tensor.of(new float[] {-5, -3}, 2);
        assertEquals(2 / 0.1 * Math.log(2), PreferenceLosses.npo(ll, ll, 0.1).item(), 1e-5);
    }

    @Test
    void npoFollowsItsDefinition() {
        // beta 0.1; log-ratios -10 and 0: -beta * ratio = 1 and 0, so
        // L = (2 / 0.1) * mean(log(1 + e^-1), ln 2).
        Tensor ll = Tensor.of(new float[] {-15, -3}, 2);
        Tensor ref = Tensor.of(new float[] {-5, -3}, 2);
        double expected = 20 * (softplusNeg(1) + Math.log(2)) / 2;
        assertEquals(expected, PreferenceLosses.npo(ll, ref, 0.1).item(), 1e-5);
    }

    @Test
    void simNpoOnUniformPredictionsFollowsTheClosedForm() {
        // Uniform over V = 16: log p(y|x) / |y| = -ln 16, so the argument of the sigmoid is
        // beta ln 16 - gamma, and L = (2 / beta) log(1 + e^-(beta ln 16 - gamma)).
        double ln16 = Math.log(16);
        Tensor mean = Tensor.of(new float[] {(float) -ln16, (float) -ln16}, 2);
        assertEquals(0.8 * Math.log1p(Math.pow(16, -2.5)), PreferenceLosses.simNpo(mean, 2.5, 0).item(), 1e-7);
        assertEquals(0.8 * softplusNeg(2.5 * ln16 - 1), PreferenceLosses.simNpo(mean, 2.5, 1).item(), 1e-7);
    }

    @Test
    void rmuForgetTermIsZeroAtTheTargetAndCSquaredOverDAtTheOrigin() {
        int d = 8;
        double c = 3;
        Tensor u = RmuLoss.controlVector(new Rng(5), d);
        Tensor target = u.mul(c);
        Tensor atTarget = target.reshape(1, 1, d).expand(2, 3, d).contiguous();
        assertEquals(0.0, RmuLoss.forget(atTarget, target, null).item(), 1e-12);
        // At h = 0 every token costs mean_i (c u_i)^2 = c^2 |u|^2 / D = c^2 / D, u being a unit vector.
        Tensor zeros = Tensor.zeros(DType.F32, 2, 3, d);
        assertEquals(c * c / d, RmuLoss.forget(zeros, target, null).item(), 1e-6);
        // A padded position far from the target does not count when masked.
        Tensor mixed = Tensor.cat(java.util.List.of(atTarget.narrow(1, 0, 2), zeros.narrow(1, 0, 1).add(100)), 1);
        Tensor mask = Tensor.ofLongs(new long[] {1, 1, 0, 1, 1, 0}, 2, 3);
        assertEquals(0.0, RmuLoss.forget(mixed, target, mask).item(), 1e-10);
        assertTrue(RmuLoss.forget(mixed, target, null).item() > 1000, "unmasked, the padding dominates");
    }

    @Test
    void rmuRetainTermIsAlphaTimesTheMeanSquaredShift() {
        Tensor frozen = Tensor.randn(new Rng(1), DType.F32, 2, 3, 4);
        // Every unit shifted by 0.5: mean squared error 0.25, times alpha 100.
        assertEquals(25.0, RmuLoss.retain(frozen.add(0.5), frozen, 100, null).item(), 1e-4);
    }

    @Test
    void controlVectorsAreUnitNonNegativeAndSeeded() {
        float[] a = RmuLoss.controlVector(new Rng(9), 64).toFloats();
        float[] b = RmuLoss.controlVector(new Rng(9), 64).toFloats();
        assertArrayEquals(a, b);
        double sq = 0;
        for (float v : a) {
            assertTrue(v >= 0, "uniform in [0, 1) before scaling");
            sq += v * v;
        }
        assertEquals(1.0, sq, 1e-5);
    }
}
