package dev.falcon.unlearn;

import dev.falcon.train.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Every knob of a FALCON run, validated when built; {@link #official()} gives the official code's
 * defaults and {@link #builder()} starts from them.
 *
 * @param layer          l*, the layer whose activations the losses compare
 * @param layers         the blocks whose matrices are edited (all at or below l*)
 * @param params         which matrices of each block, as suffixes such as "mlp.down_proj"
 * @param alpha          retention weight per topic (see {@link PerTopic})
 * @param steeringCoeff  scale of the POV per topic (no effect on the cosine-based official loss)
 * @param maxBatches     cap on the number of steps (the official max_num_batches)
 * @param epochs         passes over the forget and retain batches (the official code makes one)
 * @param maskPadding    average losses over real tokens only (false: the official unmasked mean)
 * @param cache          run the blocks below the first edited one once per batch and only the edited
 *                       blocks up to l* for both models, caching the frozen activations where batches
 *                       repeat ({@link ActivationPath}); false: the official pattern, full forward
 *                       passes of two model copies
 * @param paperPov       the paper's POV instead of the official code's
 * @param maxLengths     truncation length of the first topic and of the others (512, 768)
 */
public record FalconSettings(
        int layer,
        List<Integer> layers,
        List<String> params,
        List<Double> alpha,
        List<Double> steeringCoeff,
        double lr,
        int batchSize,
        int maxBatches,
        int epochs,
        String optimizer,
        long seed,
        boolean maskPadding,
        boolean cache,
        double temperature,
        GradientProjection.Weights conflictWeights,
        GradientProjection.Weights alignWeights,
        boolean paperPov,
        MaxLengths maxLengths) implements ActivationSettings {

    public FalconSettings {
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        alpha = List.copyOf(alpha);
        steeringCoeff = List.copyOf(steeringCoeff);
        SettingsCheck.common(layers, params, lr, batchSize, maxBatches, epochs);
        SettingsCheck.atLayer(layer, layers, alpha, steeringCoeff, "FALCON");
        Optimizer.byName(optimizer, lr);
        SettingsCheck.require(temperature > 0 && Double.isFinite(temperature),
                "temperature must be positive, got " + temperature);
        SettingsCheck.require(finite(conflictWeights) && finite(alignWeights),
                "conflict and align weights must be numbers, got " + conflictWeights + " and " + alignWeights);
    }

    /** l* = 7 editing mlp.down_proj of 5-7, alpha and c 100 and 20 for two topics, SophiaG at 5e-5, 4 x 80 batches. */
    public static FalconSettings official() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The official choice of edited blocks for loss layer l: l-2, l-1 and l (those that exist). */
    public static List<Integer> officialLayers(int layer) {
        List<Integer> out = new ArrayList<>();
        for (int i = Math.max(0, layer - 2); i <= layer; i++) {
            out.add(i);
        }
        return out;
    }

    private static boolean finite(GradientProjection.Weights w) {
        return Double.isFinite(w.forget()) && Double.isFinite(w.retain());
    }

    /** Starts from the official settings. */
    public static final class Builder extends SettingsBuilder.AtLayer<Builder> {
        private String optimizer = "sophiag";
        private boolean cache = true;
        private double temperature = ContrastiveForgetLoss.OFFICIAL_TEMPERATURE;
        private GradientProjection.Weights conflictWeights = GradientProjection.OFFICIAL_CONFLICT;
        private GradientProjection.Weights alignWeights = GradientProjection.OFFICIAL_ALIGN;
        private boolean paperPov;

        private Builder() {
            super(List.of(100.0, 100.0), List.of(20.0, 20.0));
        }

        @Override
        Builder self() {
            return this;
        }

        /** "sophiag" (official) or "adamw". */
        public Builder optimizer(String optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder conflictWeights(GradientProjection.Weights conflictWeights) {
            this.conflictWeights = conflictWeights;
            return this;
        }

        public Builder alignWeights(GradientProjection.Weights alignWeights) {
            this.alignWeights = alignWeights;
            return this;
        }

        public Builder paperPov(boolean paperPov) {
            this.paperPov = paperPov;
            return this;
        }

        public FalconSettings build() {
            return new FalconSettings(layer, layers, params, alpha, steeringCoeff, lr, batchSize, maxBatches, epochs,
                    optimizer, seed, maskPadding, cache, temperature, conflictWeights, alignWeights, paperPov,
                    maxLengths);
        }
    }
}
