package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;

/** Where a training step gets the edited and frozen activations at l* of its batches. */
interface StepActivations {

    /** The edited model's activations (with autograd) and the frozen model's, for one batch. */
    record Pair(Batch batch, Tensor edited, Tensor frozen) {
    }

    Pair forget(int step);

    Pair retain(int step);
}
