package dev.falcon.unlearn;

import java.util.List;

/** The settings FALCON and RMU share: both compare activations at one layer l*, with per-topic weights. */
public sealed interface ActivationSettings extends MethodSettings permits FalconSettings, RmuSettings {

    /** l*, the layer whose activations the losses read; every edited block is at or below it. */
    int layer();

    /** Retention weight per topic (see {@link PerTopic}). */
    List<Double> alpha();

    /** RMU: norm of the control vector; FALCON: scale of the POV; per topic. */
    List<Double> steeringCoeff();

    /** Average losses over real tokens only (false: the official mean over padding too). */
    boolean maskPadding();

    @Override
    default void checkTopics(int topics) {
        PerTopic.check(alpha(), topics, "alpha");
        PerTopic.check(steeringCoeff(), topics, "steering coefficients");
    }

    /** The lowest edited block, where cached activations start. */
    default int firstLayer() {
        return layers().stream().mapToInt(Integer::intValue).min().orElseThrow();
    }
}
