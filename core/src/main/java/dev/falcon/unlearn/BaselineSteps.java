package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.train.AdamW;
import dev.falcon.train.Optimizer;
import dev.falcon.train.StepSchedule;
import dev.falcon.train.TrainLog;
import dev.falcon.train.TrainingLoop;

import java.util.Map;

/** How the baselines train: each step minimises its named loss terms with one AdamW update (PyTorch's defaults besides lr). */
final class BaselineSteps {

    /** The loss terms of step k, with autograd; their sum is what the step minimises. */
    interface Terms {
        Map<String, Tensor> at(int step);
    }

    private static final double[] NO_COSINES = new double[0];

    private BaselineSteps() {
    }

    /** Edits {@code edited} in place; stops before a step whose loss is not finite. */
    static TrainLog run(EditedParameters edited, StepSchedule schedule, double lr, Terms terms,
                        TrainLog.Listener listener) {
        Optimizer optimizer = new AdamW(lr);
        return TrainingLoop.run(edited.tensors(), schedule.steps(), k -> {
            try (Engine.Scope scope = Engine.scope()) {
                TrainingLoop.Update u = TrainingLoop.minimise(terms.at(k), edited.tensors(), optimizer, 0);
                return new TrainLog.Step(k, schedule.topic(k), schedule.epoch(k), u.losses(), lr, u.gradNorm(),
                        NO_COSINES);
            }
        }, listener);
    }
}
