package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ActivationPath#CACHED}: the frozen activations of every distinct batch the schedule picks are
 * computed once before training (a batch that repeats, in later epochs, is computed once), and a step
 * runs only the edited blocks [first edited, l*] of the edited model. Memory grows with the data.
 */
final class CachedActivations implements StepActivations {

    private final LlamaModel model;
    private final List<List<Batch>> forgetTopics;
    private final List<List<Batch>> retainTopics;
    private final StepSchedule schedule;
    private final int first;
    private final int layer;
    /** By batch identity: the schedule hands out the same Batch object each time it repeats one. */
    private final Map<Batch, FrozenActivations> cache = new IdentityHashMap<>();

    /** @param frozen the model before the edits, sharing all but the edited tensors with {@code model} */
    CachedActivations(LlamaModel model, LlamaModel frozen, List<List<Batch>> forgetTopics,
                      List<List<Batch>> retainTopics, StepSchedule schedule, int first, int layer) {
        this.model = model;
        this.forgetTopics = forgetTopics;
        this.retainTopics = retainTopics;
        this.schedule = schedule;
        this.first = first;
        this.layer = layer;
        for (int k = 0; k < schedule.steps(); k++) {
            for (Batch b : List.of(schedule.pick(forgetTopics, k), schedule.pick(retainTopics, k))) {
                cache.computeIfAbsent(b, x -> FrozenActivations.of(frozen, x, first, layer));
            }
        }
    }

    @Override
    public Pair forget(int step) {
        return pair(cache.get(schedule.pick(forgetTopics, step)));
    }

    @Override
    public Pair retain(int step) {
        return pair(cache.get(schedule.pick(retainTopics, step)));
    }

    private Pair pair(FrozenActivations a) {
        return new Pair(a.batch(), a.edited(model, first, layer), a.target());
    }
}
