package dev.falcon.train;

import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;

/**
 * A right-padded batch for causal-LM training with the tokens the loss counts: lossMask [B, T] is 1
 * at every position whose token is a prediction target (predicted from the positions before it)
 * and 0 elsewhere: at BOS, at question tokens of question/answer documents, at padding.
 */
public record LmBatch(Batch batch, Tensor lossMask) {
}
