package dev.falcon.train;

import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaModel;

/**
 * Next-token prediction on an {@link LmBatch}: the logits at position t score the token at t + 1,
 * and only tokens marked in the batch's loss mask count. Log-probabilities are taken in float32
 * whatever the compute dtype, as a bf16 log-softmax over a large vocabulary loses the small ones.
 */
public final class CausalLmLoss {

    private CausalLmLoss() {
    }

    /** Mean cross-entropy over counted tokens of a full forward pass of the model (with autograd). */
    public static Tensor loss(LlamaModel model, LmBatch b) {
        return mean(model.forward(b.batch(), null), b);
    }

    /**
     * Mean cross-entropy (natural log) over the counted tokens of the whole batch, each token weighing
     * the same; 0 when no token counts.
     *
     * @param logits [B, T, V] for the batch's ids
     */
    public static Tensor mean(Tensor logits, LmBatch b) {
        Tensor w = targetWeights(b);
        return tokenLogProbs(logits, b).mul(w).sum().neg().div(w.sum().clampMin(1));
    }

    /** Per sequence, the summed log-probability of its counted tokens, log p(y|x): [B]. */
    public static Tensor sequenceLogLikelihood(Tensor logits, LmBatch b) {
        return tokenLogProbs(logits, b).mul(targetWeights(b)).sum(1, false);
    }

    /** Per sequence, the number of counted tokens |y|: [B], float32. */
    public static Tensor targetCounts(LmBatch b) {
        return targetWeights(b).sum(1, false);
    }

    /** Per sequence, log p(y|x) / |y| (0 for a sequence with no counted token): [B]. */
    public static Tensor sequenceMeanLogLikelihood(Tensor logits, LmBatch b) {
        return sequenceLogLikelihood(logits, b).div(targetCounts(b).clampMin(1));
    }

    /** log p(token t+1 | tokens up to t) for t = 0 .. T-2: [B, T-1], float32. */
    static Tensor tokenLogProbs(Tensor logits, LmBatch b) {
        long t = b.batch().width();
        if (logits.dim() != 3 || logits.size(0) != b.batch().rows() || logits.size(1) != t) {
            throw new IllegalArgumentException("logits must be [" + b.batch().rows() + ", " + t + ", V], got "
                    + logits);
        }
        Tensor logProbs = logits.narrow(1, 0, t - 1).to(DType.F32).logSoftmax(-1);
        Tensor next = b.batch().ids().narrow(1, 1, t - 1).unsqueeze(-1);
        return logProbs.gather(-1, next).squeeze(-1);
    }

    /** The loss mask shifted to line up with {@link #tokenLogProbs}: [B, T-1]. */
    private static Tensor targetWeights(LmBatch b) {
        return b.lossMask().narrow(1, 1, b.batch().width() - 1).to(DType.F32);
    }
}
