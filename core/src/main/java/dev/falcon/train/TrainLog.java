package dev.falcon.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.Json;

import java.util.List;
import java.util.Map;

/**
 * What a training run (fine-tuning or unlearning) measured at each step, and why it stopped early
 * (null when it ran to the end).
 */
public record TrainLog(List<Step> steps, String stoppedEarly) {

    /**
     * @param topic    the topic the step trained on (0 when there is one)
     * @param epoch    the pass over its data the step belongs to, from 0
     * @param losses   named loss terms of the step's batch, before its update; the step minimised their sum
     * @param lr       learning rate of the update
     * @param gradNorm global norm of the update's gradient before clipping (NaN: none was computed)
     * @param cosines  FALCON: per edited tensor, the cosine between its forget and retain gradients
     */
    public record Step(int step, int topic, int epoch, Map<String, Double> losses, double lr, double gradNorm,
                       double[] cosines) {

        /** The sum of the loss terms: what the step minimised. */
        public double loss() {
            return losses.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        boolean finite() {
            return losses.values().stream().allMatch(Double::isFinite);
        }
    }

    public interface Listener {
        void onStep(Step step, int totalSteps);
    }

    /** {"steps": [{"step", "epoch", "loss", "lr", "grad_norm"}, ...], "stopped_early": text or null}. */
    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode rows = root.putArray("steps");
        for (Step s : steps) {
            rows.addObject().put("step", s.step()).put("epoch", s.epoch()).put("loss", s.loss()).put("lr", s.lr())
                    .put("grad_norm", s.gradNorm());
        }
        root.put("stopped_early", stoppedEarly);
        return Json.pretty(root) + "\n";
    }
}
