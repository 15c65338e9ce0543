package dev.falcon.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.Json;

import java.util.List;

/** What a fine-tuning run measured at each step, and why it stopped early (null when it ran to the end). */
public record TrainLog(List<Step> steps, String stoppedEarly) {

    /**
     * @param loss     mean token cross-entropy of the step's batch, before its update
     * @param gradNorm global gradient norm before clipping
     */
    public record Step(int step, int epoch, double loss, double lr, double gradNorm) {
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
