package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;

/** FALCON's retention loss: alpha * (1 - mean over tokens of cos(edited, frozen activations)). */
public final class RetentionLoss {

    private final double alpha;

    public RetentionLoss(double alpha) {
        this.alpha = alpha;
    }

    /**
     * @param updated the edited model's activations on retain text [B, T, D]
     * @param frozen  the frozen model's activations on the same text [B, T, D]
     * @param mask    [B, T], non-zero at real tokens; null averages over padding too (official)
     * @return a scalar
     */
    public Tensor loss(Tensor updated, Tensor frozen, Tensor mask) {
        PerToken.checkSameShape(updated, frozen, "updated and frozen activations");
        return PerToken.mean(updated.cosineSimilarity(frozen, -1), mask).neg().add(1).mul(alpha);
    }
}
