package dev.falcon.unlearn;

import dev.falcon.train.AdamW;
import dev.falcon.train.Optimizer;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimisation loop the baselines share: per step, named loss terms whose sum is minimised by
 * one AdamW update of the edited tensors; each step's tensors are freed when it ends.
 */
final class BaselineLoop {

    /** The loss terms of one step, with autograd; their sum is what the step minimises. */
    interface StepLoss {
        Map<String, Tensor> terms(int step, int topic);
    }

    private BaselineLoop() {
    }

    /** Edits {@code edited} in place; stops before a step whose loss is not finite. */
    static TrainingLog run(EditedParameters edited, int steps, int topics, double lr, StepLoss loss,
                           TrainingLog.Listener listener) {
        Optimizer optimizer = new AdamW(lr);
        return StepLoop.run(edited, steps, topics, (k, topic) -> step(k, topic, edited, optimizer, loss), listener);
    }

    private static TrainingLog.Step step(int k, int topic, EditedParameters edited, Optimizer optimizer,
                                         StepLoss loss) {
        try (Engine.Scope scope = Engine.scope()) {
            Map<String, Tensor> terms = loss.terms(k, topic);
            Map<String, Double> values = new LinkedHashMap<>();
            Tensor total = null;
            for (Map.Entry<String, Tensor> e : terms.entrySet()) {
                values.put(e.getKey(), e.getValue().item());
                total = total == null ? e.getValue() : total.add(e.getValue());
            }
            if (values.values().stream().allMatch(Double::isFinite)) {
                List<Tensor> params = edited.tensors();
                List<Tensor> grads = List.of(total.gradients(params, false));
                try (Engine.Guard g = Engine.noGrad()) {
                    optimizer.step(params, grads);
                }
            }
            return new TrainingLog.Step(k, topic, values, new double[0]);
        }
    }
}
