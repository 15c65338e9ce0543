package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

/**
 * RMU's two terms (Li et al. 2024, WMDP): push forget activations at layer l towards a fixed scaled
 * random direction c * u, and keep retain activations where the frozen model puts them. Both are
 * mean squared errors (PyTorch's mse_loss: the mean over tokens and hidden units).
 */
public final class RmuLoss {

    private RmuLoss() {
    }

    /** u: uniform in [0, 1)^D from the generator, scaled to unit length (the official control vector). */
    public static Tensor controlVector(Rng rng, int dim) {
        Tensor u = Tensor.rand(rng, DType.F32, dim);
        return u.div(u.norm());
    }

    /**
     * mean over tokens and units of (h - target)^2.
     *
     * @param activations the edited model's activations on forget text [B, T, D]
     * @param target      c * u [D], the same for every token
     * @param mask        [B, T], non-zero at real tokens; null averages over padding too (official)
     */
    public static Tensor forget(Tensor activations, Tensor target, Tensor mask) {
        return PerToken.mean(activations.sub(target.to(activations.dtype())).square().mean(-1, false), mask);
    }

    /** alpha * mean over tokens and units of (updated - frozen)^2, with the same masking. */
    public static Tensor retain(Tensor updated, Tensor frozen, double alpha, Tensor mask) {
        PerToken.checkSameShape(updated, frozen, "updated and frozen activations");
        return PerToken.mean(updated.sub(frozen).square().mean(-1, false), mask).mul(alpha);
    }
}
