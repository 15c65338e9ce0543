package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.train.StepSchedule;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Where a training step gets the edited and frozen activations at l* of the forget and retain batches the
 * schedule picks for it; each {@link ActivationPath} is one subclass.
 */
abstract class StepActivations {

    /** The edited model's activations (with autograd) and the frozen model's, for one batch. */
    record Pair(Batch batch, Tensor edited, Tensor frozen) {
    }

    private final List<List<Batch>> forgetTopics;
    private final List<List<Batch>> retainTopics;
    private final StepSchedule schedule;

    StepActivations(List<List<Batch>> forgetTopics, List<List<Batch>> retainTopics, StepSchedule schedule) {
        this.forgetTopics = forgetTopics;
        this.retainTopics = retainTopics;
        this.schedule = schedule;
    }

    final Pair forget(int step) {
        return pair(schedule.pick(forgetTopics, step));
    }

    final Pair retain(int step) {
        return pair(schedule.pick(retainTopics, step));
    }

    /** Every batch some step picks, forget and retain, in step order (with repeats). */
    final List<Batch> scheduled() {
        return IntStream.range(0, schedule.steps()).boxed()
                .flatMap(k -> Stream.of(schedule.pick(forgetTopics, k), schedule.pick(retainTopics, k))).toList();
    }

    /** Both models' activations at l* for one batch. */
    abstract Pair pair(Batch b);
}
