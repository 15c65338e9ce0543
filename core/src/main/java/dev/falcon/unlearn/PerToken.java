package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;

import java.util.Arrays;

/** Averages of per-token values [B, T], optionally over real (unpadded) tokens only. */
final class PerToken {

    private PerToken() {
    }

    /**
     * The mean of values [B, T] over positions where mask [B, T] is non-zero, or over all positions
     * when mask is null (what the official code does, padding included). A batch with no real token
     * averages to 0 rather than NaN, so it contributes nothing.
     */
    static Tensor mean(Tensor values, Tensor mask) {
        if (mask == null) {
            return values.mean();
        }
        if (!Arrays.equals(mask.shape(), values.shape())) {
            throw new IllegalArgumentException("mask must be " + Arrays.toString(values.shape()) + ", got "
                    + Arrays.toString(mask.shape()));
        }
        Tensor weights = mask.eq(0).logicalNot().to(values.dtype());
        return values.mul(weights).sum().div(weights.sum().clampMin(1));
    }

    static void checkSameShape(Tensor a, Tensor b, String what) {
        if (a.dim() != 3 || !Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(what + " must both be [B, T, D], got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
    }
}
