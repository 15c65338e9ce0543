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
        MaxLengths maxLengths) implements MethodSettings {

    public RmuSettings {
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        alpha = List.copyOf(alpha);
        steeringCoeff = List.copyOf(steeringCoeff);
        SettingsCheck.common(layers, params, lr, batchSize, maxBatches, epochs);
        SettingsCheck.editedAtOrBelow(layers, layer, "RMU");
        SettingsCheck.perTopicValues(alpha, "alpha");
        SettingsCheck.perTopicValues(steeringCoeff, "steering coefficients");
    }

    public static RmuSettings official() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void checkTopics(int topics) {
        PerTopic.check(alpha, topics, "alpha");
        PerTopic.check(steeringCoeff, topics, "steering coefficients");
    }

    int firstLayer() {
        return layers.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    /** Starts from the official settings; {@link #layer(int)} also moves the edited blocks to l-2..l. */
    public static final class Builder {
        private int layer = 7;
        private List<Integer> layers = FalconSettings.officialLayers(7);
        private List<String> params = List.of("mlp.down_proj");
        private List<Double> alpha = List.of(100.0);
        private List<Double> steeringCoeff = List.of(20.0);
        private double lr = 5e-5;
        private int batchSize = 4;
        private int maxBatches = 80;
        private int epochs = 1;
        private long seed = 42;
        private boolean maskPadding = true;
        private MaxLengths maxLengths = MaxLengths.OFFICIAL;

        private Builder() {
        }

        /** l*, with the official edited blocks l-2..l (call {@link #layers} after to choose others). */
        public Builder layer(int layer) {
            this.layer = layer;
            this.layers = FalconSettings.officialLayers(Math.max(0, layer));
            return this;
        }

        public Builder layers(List<Integer> layers) {
            this.layers = layers;
            return this;
        }

        public Builder params(List<String> params) {
            this.params = params;
            return this;
        }

        public Builder alpha(List<Double> alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder steeringCoeff(List<Double> steeringCoeff) {
            this.steeringCoeff = steeringCoeff;
            return this;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxBatches(int maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder maskPadding(boolean maskPadding) {
            this.maskPadding = maskPadding;
            return this;
        }

        public Builder maxLengths(MaxLengths maxLengths) {
            this.maxLengths = maxLengths;
            return this;
        }

        public RmuSettings build() {
            return new RmuSettings(layer, layers, params, alpha, steeringCoeff, lr, batchSize, maxBatches, epochs,
                    seed, maskPadding, maxLengths);
        }
    }
}
