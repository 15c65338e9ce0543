package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;

import java.util.List;

/**
 * FALCON's forget loss: InfoNCE per token position on L2-normalised activations. Each anchor token
 * (the edited model's activation) has one positive, the POV, and one negative, the frozen model's
 * activation at the same position, as in the official code (which also matches its reference
 * fixture; contrasting against every position of the batch does not).
 */
public final class ContrastiveForgetLoss {

    public static final double OFFICIAL_TEMPERATURE = 0.7;
    /** F.normalize's guard against zero vectors. */
    private static final double NORMALIZE_EPS = 1e-12;

    private final double temperature;

    public ContrastiveForgetLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.temperature = temperature;
    }

    /**
     * The mean over tokens of -log(exp(cos(a, p)/tau) / (exp(cos(a, p)/tau) + exp(cos(a, n)/tau))).
     *
     * @param anchor    the edited model's activations [B, T, D]
     * @param positive  the target, broadcastable to [B, T, D] (a POV [D], scaled or not: only its
     *                  direction counts)
     * @param negatives the frozen model's activations [B, T, D]
     * @param mask      [B, T], non-zero at real tokens; null averages over padding too (official)
     * @return a scalar
     */
    public Tensor loss(Tensor anchor, Tensor positive, Tensor negatives, Tensor mask) {
        PerToken.checkSameShape(anchor, negatives, "anchor and negatives");
        Tensor a = unit(anchor);
        Tensor toPositive = a.mul(unit(positive)).sum(-1, false).div(temperature);
        Tensor toNegative = a.mul(unit(negatives)).sum(-1, false).div(temperature);
        // Cross-entropy with the positive as the label: logsumexp over {positive, negative} minus positive.
        Tensor perToken = Tensor.stack(List.of(toPositive, toNegative), -1).logsumexp(-1, false).sub(toPositive);
        return PerToken.mean(perToken, mask);
    }

    private static Tensor unit(Tensor x) {
        return x.div(x.norm(-1, true).clampMin(NORMALIZE_EPS));
    }
}
