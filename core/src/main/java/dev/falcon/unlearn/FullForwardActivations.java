package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.List;

/**
 * The official computation pattern, kept for comparison: a frozen reference model (here sharing every
 * tensor but the edited ones), and full forward passes (every block and the LM head) of both models on
 * every batch, reading l* on the way.
 */
final class FullForwardActivations extends StepActivations {

    private final LlamaModel model;
    private final LlamaModel frozen;
    private final int layer;

    /** @param frozen the model before the edits, sharing all but the edited tensors with {@code model} */
    FullForwardActivations(LlamaModel model, LlamaModel frozen, List<List<Batch>> forgetTopics,
                           List<List<Batch>> retainTopics, StepSchedule schedule, int layer) {
        super(forgetTopics, retainTopics, schedule);
        this.model = model;
        this.frozen = frozen;
        this.layer = layer;
    }

    @Override
    Pair pair(Batch b) {
        Tensor edited = model.forwardCapturing(b, layer).hidden();
        Tensor target;
        try (Engine.Guard g = Engine.noGrad()) {
            target = frozen.forwardCapturing(b, layer).hidden();
        }
        return new Pair(b, edited, target);
    }
}
