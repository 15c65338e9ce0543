package dev.falcon.unlearn;

import java.util.List;

/**
 * Every knob of an RMU run, validated when built; {@link #official()} gives the official WMDP code's
 * settings (lr 5e-5 with AdamW, batch 4, 80 batches, lengths 512 / 768, l* = 7 editing
 * mlp.down_proj of 5-7, alpha 100, c 20) and {@link #builder()} starts from them.
 *
 * @param layer         l*, the layer whose activations the loss reads (edited blocks at or below it)
 * @param alpha         retain weight per topic (see {@link PerTopic})
 * @param steeringCoeff norm c of the control vector c * u per topic
 * @param maxBatches    cap on the number of steps (the official max_num_batches)
 * @param epochs        passes over the forget batches
 * @param maskPadding   average over real tokens only (false: the official mean over padding too)
 * @param maxLengths    truncation length of the first topic and of the others
 */
public record RmuSettings(
        int layer,
        List<Integer> layers,
        List<String> params,
        List<Double> alpha,
        List<Double> steeringCoeff,
        double lr,
        int batchSize,
        int maxBatches,
        int epochs,
        long seed,
        boolean maskPadding,
        MaxLengths maxLengths) implements ActivationSettings {

    public RmuSettings {
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        alpha = List.copyOf(alpha);
        steeringCoeff = List.copyOf(steeringCoeff);
        SettingsCheck.common(layers, params, lr, batchSize, maxBatches, epochs);
        SettingsCheck.atLayer(layer, layers, alpha, steeringCoeff, "RMU");
    }

    public static RmuSettings official() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the official settings. */
    public static final class Builder extends SettingsBuilder.AtLayer<Builder> {

        private Builder() {
            super(List.of(100.0), List.of(20.0));
        }

        @Override
        Builder self() {
            return this;
        }

        public RmuSettings build() {
            return new RmuSettings(layer, layers, params, alpha, steeringCoeff, lr, batchSize, maxBatches, epochs,
                    seed, maskPadding, maxLengths);
        }
    }
}
