package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.List;

/**
 * {@link ActivationPath#PER_STEP}: nothing is kept between steps. For each of a step's batches the
 * blocks below the first edited one run once, without autograd (they are the same in the frozen and
 * the edited model), then the frozen model's blocks [first edited, l*] without autograd and the edited
 * model's with it.
 */
class PerStepActivations extends StepActivations {

    private final LlamaModel model;
    private final LlamaModel frozen;
    private final int first;
    private final int layer;

    /** @param frozen the model before the edits, sharing all but the edited tensors with {@code model} */
    PerStepActivations(LlamaModel model, LlamaModel frozen, List<List<Batch>> forgetTopics,
                       List<List<Batch>> retainTopics, StepSchedule schedule, int first, int layer) {
        super(forgetTopics, retainTopics, schedule);
        this.model = model;
        this.frozen = frozen;
        this.first = first;
        this.layer = layer;
    }

    @Override
    final Pair pair(Batch b) {
        FrozenActivations a = frozen(b);
        return new Pair(b, a.edited(model, first, layer), a.target());
    }

    /** The frozen model's part for one batch: the shared lower blocks' output and the activations at l*. */
    FrozenActivations frozen(Batch b) {
        return FrozenActivations.of(frozen, b, first, layer);
    }
}
