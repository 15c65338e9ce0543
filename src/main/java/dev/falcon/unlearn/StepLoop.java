package dev.falcon.unlearn;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop every unlearning method shares: step k trains on topic k mod n; the edited tensors track
 * gradients only while it runs; it stops before keeping a step whose loss is not finite (the step
 * function must not update the weights in that case), so the weights stay the last good ones.
 */
final class StepLoop {

    /** One step: computes its losses and, when they are finite, updates the weights. */
    interface StepFunction {
        TrainingLog.Step run(int step, int topic);
    }

    private StepLoop() {
    }

    static TrainingLog run(EditedParameters edited, int steps, int topics, StepFunction f,
                           TrainingLog.Listener listener) {
        List<TrainingLog.Step> done = new ArrayList<>();
        edited.track(true);
        try {
            for (int k = 0; k < steps; k++) {
                TrainingLog.Step step = f.run(k, k % topics);
                if (step.losses().values().stream().anyMatch(v -> !Double.isFinite(v))) {
                    return new TrainingLog(done, String.format("step %d: loss is not finite %s; kept the "
                            + "weights from before this step", k, step.losses()));
                }
                done.add(step);
                if (listener != null) {
                    listener.onStep(step, steps);
                }
            }
        } finally {
            edited.track(false);
        }
        return new TrainingLog(done, null);
    }
}
