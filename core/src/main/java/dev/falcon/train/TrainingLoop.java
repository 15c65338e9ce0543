package dev.falcon.train;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step loop of every training run, fine-tuning and unlearning: the trained tensors track
 * gradients only while it runs, and it stops before keeping a step whose loss is not finite (a step
 * must not update the weights then, see {@link #minimise}), so the weights stay the last good ones.
 */
public final class TrainingLoop {

    /** One step: computes its losses and, when they are finite, updates the weights. */
    public interface StepFunction {
        TrainLog.Step run(int step);
    }

    /** The values of a step's loss terms and the global norm of their summed gradient (NaN: no update). */
    public record Update(Map<String, Double> losses, double gradNorm) {
    }

    private TrainingLoop() {
    }

    public static TrainLog run(List<Tensor> params, int steps, StepFunction f, TrainLog.Listener listener) {
        List<TrainLog.Step> done = new ArrayList<>();
        params.forEach(p -> p.requiresGrad(true));
        try {
            for (int k = 0; k < steps; k++) {
                TrainLog.Step step = f.run(k);
                if (!step.finite()) {
                    return new TrainLog(done, String.format("step %d: loss is not finite %s; kept the "
                            + "weights from before this step", k, step.losses()));
                }
                done.add(step);
                if (listener != null) {
                    listener.onStep(step, steps);
                }
            }
        } finally {
            params.forEach(p -> p.requiresGrad(false));
        }
        return new TrainLog(done, null);
    }

    /**
     * Minimises the sum of the named terms (in their order) with one optimizer step, its gradient
     * clipped to global norm clipNorm (0: no clipping); no update when a term is not finite. Call
     * inside the step's {@link Engine#scope()}.
     */
    public static Update minimise(Map<String, Tensor> terms, List<Tensor> params, Optimizer optimizer,
                                  double clipNorm) {
        Map<String, Double> values = new LinkedHashMap<>();
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
            values.put(e.getKey(), e.getValue().item());
            total = total == null ? e.getValue() : total.add(e.getValue());
        }
        if (!values.values().stream().allMatch(Double::isFinite)) {
            return new Update(values, Double.NaN);
        }
        List<Tensor> grads = List.of(total.gradients(params, false));
        double norm = clipGlobalNorm(grads, clipNorm);
        try (Engine.Guard g = Engine.noGrad()) {
            optimizer.step(params, grads);
        }
        return new Update(values, norm);
    }

    /**
     * Scales the gradients in place so that their global norm (over all of them together) is at most
     * maxNorm, with PyTorch's clip_grad_norm_ factor maxNorm / (norm + 1e-6); 0 disables clipping.
     *
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(List<Tensor> grads, double maxNorm) {
        try (Engine.Scope scope = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            double sumSquares = 0;
            for (Tensor grad : grads) {
                sumSquares += grad.square().sum().item();
            }
            double norm = Math.sqrt(sumSquares);
            if (maxNorm > 0 && norm > maxNorm) {
                double factor = maxNorm / (norm + 1e-6);
                grads.forEach(grad -> grad.mul_(factor));
            }
            return norm;
        }
    }
}
