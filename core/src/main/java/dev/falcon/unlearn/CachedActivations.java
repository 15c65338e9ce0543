package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ActivationPath#CACHED}: the per-step computation, except that the frozen part of every distinct
 * batch the schedule picks is computed once before training (a batch that repeats, in later epochs, is
 * computed once), so a step runs only the edited blocks [first edited, l*] of the edited model. Memory
 * grows with the data.
 */
final class CachedActivations extends PerStepActivations {

    /** By batch identity: the schedule hands out the same Batch object each time it repeats one. */
    private final Map<Batch, FrozenActivations> cache = new IdentityHashMap<>();

    /** @param frozen the model before the edits, sharing all but the edited tensors with {@code model} */
    CachedActivations(LlamaModel model, LlamaModel frozen, List<List<Batch>> forgetTopics,
                      List<List<Batch>> retainTopics, StepSchedule schedule, int first, int layer) {
        super(model, frozen, forgetTopics, retainTopics, schedule, first, layer);
        for (Batch b : scheduled()) {
            cache.computeIfAbsent(b, super::frozen);
        }
    }

    @Override
    FrozenActivations frozen(Batch b) {
        return cache.get(b);
    }
}
