package dev.falcon.unlearn;

import java.util.List;

/**
 * What every method's settings builder shares, starting from the official code's values: the edited
 * matrices (mlp.down_proj of blocks 5-7), AdamW-era batching (lr 5e-5, batches of 4, at most 80),
 * one epoch, seed 42 and lengths 512 / 768. The records validate when built.
 */
public abstract class SettingsBuilder<B extends SettingsBuilder<B>> {

    List<Integer> layers = FalconSettings.officialLayers(7);
    List<String> params = List.of("mlp.down_proj");
    double lr = 5e-5;
    int batchSize = 4;
    int maxBatches = 80;
    int epochs = 1;
    long seed = 42;
    MaxLengths maxLengths = MaxLengths.OFFICIAL;

    SettingsBuilder() {
    }

    abstract B self();

    /** The blocks whose matrices are edited. */
    public B layers(List<Integer> layers) {
        this.layers = layers;
        return self();
    }

    /** The matrices edited in each block, as suffixes such as "mlp.down_proj". */
    public B params(List<String> params) {
        this.params = params;
        return self();
    }

    public B lr(double lr) {
        this.lr = lr;
        return self();
    }

    public B batchSize(int batchSize) {
        this.batchSize = batchSize;
        return self();
    }

    /** Cap on the number of steps. */
    public B maxBatches(int maxBatches) {
        this.maxBatches = maxBatches;
        return self();
    }

    /** Passes over the forget batches. */
    public B epochs(int epochs) {
        this.epochs = epochs;
        return self();
    }

    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    public B maxLengths(MaxLengths maxLengths) {
        this.maxLengths = maxLengths;
        return self();
    }

    /** Adds what FALCON and RMU share: the layer l* their losses read, alpha and c per topic, padding masking. */
    public abstract static class AtLayer<B extends AtLayer<B>> extends SettingsBuilder<B> {

        int layer = 7;
        List<Double> alpha;
        List<Double> steeringCoeff;
        boolean maskPadding = true;

        AtLayer(List<Double> alpha, List<Double> steeringCoeff) {
            this.alpha = alpha;
            this.steeringCoeff = steeringCoeff;
        }

        /** l*, with the official edited blocks l-2..l (call {@link #layers} after to choose others). */
        public B layer(int layer) {
            this.layer = layer;
            this.layers = FalconSettings.officialLayers(Math.max(0, layer));
            return self();
        }

        /** Retention weight: one value for every topic, or one per topic. */
        public B alpha(List<Double> alpha) {
            this.alpha = alpha;
            return self();
        }

        /** Steering coefficient: one value for every topic, or one per topic. */
        public B steeringCoeff(List<Double> steeringCoeff) {
            this.steeringCoeff = steeringCoeff;
            return self();
        }

        /** Average losses over real tokens only (false: the official mean over padding too). */
        public B maskPadding(boolean maskPadding) {
            this.maskPadding = maskPadding;
            return self();
        }
    }
}
