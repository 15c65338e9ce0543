package dev.falcon.unlearn;

import java.util.List;

/**
 * Every knob of GA, GradDiff, NPO and SimNPO, validated when built; {@link #paperDefaults()} gives
 * NPO's beta 0.1 (Zhang et al. 2024), SimNPO's beta 2.5 and gamma 0 (its official TOFU forget05
 * settings, Fan et al. 2024), forget and retain weights 1, and the batching of the official FALCON
 * and RMU code (lr 5e-5 with AdamW, batch 4, 80 batches, lengths 512 / 768, one epoch, mlp.down_proj
 * of 5-7). The likelihood losses never count padding.
 *
 * @param maxBatches   cap on the number of steps
 * @param epochs       passes over the forget batches (NPO and SimNPO are usually run for several)
 * @param maxLengths   truncation length of the first topic and of the others
 * @param npoBeta      NPO's inverse temperature beta
 * @param simNpoBeta   SimNPO's beta
 * @param simNpoGamma  SimNPO's reward margin gamma
 * @param forgetWeight weight of the forget term
 * @param retainWeight weight of the retain LM loss of GradDiff, NPO and SimNPO (0: plain NPO / SimNPO;
 *                     positive: NPO+RT); GA never uses retain data
 */
public record LikelihoodSettings(
        List<Integer> layers,
        List<String> params,
        double lr,
        int batchSize,
        int maxBatches,
        int epochs,
        long seed,
        MaxLengths maxLengths,
        double npoBeta,
        double simNpoBeta,
        double simNpoGamma,
        double forgetWeight,
        double retainWeight) implements MethodSettings {

    public static final double NPO_BETA = 0.1;
    public static final double SIMNPO_BETA = 2.5;
    public static final double SIMNPO_GAMMA = 0.0;

    public LikelihoodSettings {
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        SettingsCheck.common(layers, params, lr, batchSize, maxBatches, epochs);
        SettingsCheck.require(npoBeta > 0 && simNpoBeta > 0 && Double.isFinite(npoBeta + simNpoBeta),
                "beta must be positive, got " + npoBeta + " and " + simNpoBeta);
        SettingsCheck.require(Double.isFinite(simNpoGamma), "gamma must be a number, got " + simNpoGamma);
        SettingsCheck.require(forgetWeight >= 0 && retainWeight >= 0 && Double.isFinite(forgetWeight + retainWeight),
                "loss weights must be >= 0, got " + forgetWeight + " and " + retainWeight);
    }

    public static LikelihoodSettings paperDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No setting is given per topic. */
    @Override
    public void checkTopics(int topics) {
    }

    /** Starts from {@link #paperDefaults()}. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private double npoBeta = NPO_BETA;
        private double simNpoBeta = SIMNPO_BETA;
        private double simNpoGamma = SIMNPO_GAMMA;
        private double forgetWeight = 1;
        private double retainWeight = 1;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder npoBeta(double npoBeta) {
            this.npoBeta = npoBeta;
            return this;
        }

        public Builder simNpo(double beta, double gamma) {
            this.simNpoBeta = beta;
            this.simNpoGamma = gamma;
            return this;
        }

        public Builder forgetWeight(double forgetWeight) {
            this.forgetWeight = forgetWeight;
            return this;
        }

        /** 0: no retain term (plain NPO / SimNPO). */
        public Builder retainWeight(double retainWeight) {
            this.retainWeight = retainWeight;
            return this;
        }

        public LikelihoodSettings build() {
            return new LikelihoodSettings(layers, params, lr, batchSize, maxBatches, epochs, seed, maxLengths, npoBeta,
                    simNpoBeta, simNpoGamma, forgetWeight, retainWeight);
        }
    }
}
