package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The efficient path: every batch's frozen activations are computed once before training, and a
 * step runs only the edited blocks [first edited, l*] of the single model copy.
 */
final class CachedActivations implements StepActivations {

    private final LlamaModel model;
    private final int first;
    private final int layer;
    private final List<FrozenActivations> forget = new ArrayList<>();
    private final List<FrozenActivations> retain = new ArrayList<>();

    CachedActivations(LlamaModel model, List<List<Batch>> forgetTopics, List<List<Batch>> retainTopics,
                      StepSchedule schedule, int first, int layer) {
        this.model = model;
        this.first = first;
        this.layer = layer;
        for (int k = 0; k < schedule.steps(); k++) {
            forget.add(FrozenActivations.of(model, schedule.pick(forgetTopics, k), first, layer));
            retain.add(FrozenActivations.of(model, schedule.pick(retainTopics, k), first, layer));
        }
    }

    @Override
    public Pair forget(int step) {
        return pair(forget.get(step));
    }

    @Override
    public Pair retain(int step) {
        return pair(retain.get(step));
    }

    private Pair pair(FrozenActivations a) {
        return new Pair(a.batch(), a.edited(model, first, layer), a.target());
    }
}
