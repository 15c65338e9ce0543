package dev.falcon.unlearn;

import java.util.List;
import java.util.Map;

/**
 * What a training run measured: one entry per step with its named losses (and, for FALCON, the
 * cosine between forget and retain gradients of each edited tensor), and why it stopped early, if it
 * did (null when it ran to the end).
 */
public record TrainingLog(List<Step> steps, String stoppedEarly) {

    public record Step(int step, int topic, Map<String, Double> losses, double[] cosines) {
    }

    public interface Listener {
        void onStep(Step step, int totalSteps);
    }
}
