package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;

import java.util.List;

/**
 * Where a run's steps get the frozen and the edited activations at l*; falcon-run.json names the one
 * that ran ("activations").
 */
public enum ActivationPath {

    /**
     * Each batch is used once (the official schedule): per step, the blocks below the first edited one
     * run once for each batch and feed both the frozen and the edited upper blocks. Memory does not grow
     * with the data.
     */
    PER_STEP("per_step"),
    /** Batches repeat (epochs): each distinct batch's frozen activations are computed once, before training. */
    CACHED("cached"),
    /** The official computation, kept for comparison: full forward passes of both models on every batch. */
    FULL_FORWARD("full_forward");

    private final String label;

    ActivationPath(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The full forward when the settings ask for it (no cache), else the cache when some step
     * reuses a batch another step used, else the per-step path.
     */
    public static ActivationPath choose(boolean fullForward, StepSchedule schedule, List<List<Batch>> forget,
                                        List<List<Batch>> retain) {
        if (fullForward) {
            return FULL_FORWARD;
        }
        return schedule.repeats(forget) || schedule.repeats(retain) ? CACHED : PER_STEP;
    }

    /** @param edited the run's edited parameters; its original is the frozen reference */
    StepActivations activations(EditedParameters edited, List<List<Batch>> forget, List<List<Batch>> retain,
                                StepSchedule schedule, int first, int layer) {
        LlamaModel model = edited.model();
        LlamaModel frozen = edited.original();
        return switch (this) {
            case PER_STEP -> new PerStepActivations(model, frozen, forget, retain, schedule, first, layer);
            case CACHED -> new CachedActivations(model, frozen, forget, retain, schedule, first, layer);
            case FULL_FORWARD -> new FullForwardActivations(model, frozen, forget, retain, schedule, layer);
        };
    }
}
