package dev.falcon.train;

import dev.falcon.InputException;

/**
 * A fine-tuning run: AdamW (PyTorch's betas and eps) with the given weight decay, a learning-rate
 * schedule, and either a number of epochs or a number of steps.
 *
 * @param epochs         passes over the data, each in a fresh seeded shuffle (used when maxSteps is 0)
 * @param maxSteps       optimizer steps, cycling through epochs as needed; 0 to train for {@code epochs}
 * @param warmupFraction fraction of the steps spent warming up (transformers' warmup_ratio)
 * @param maxLength      truncation length in tokens, BOS included
 * @param clipNorm       largest global gradient norm; gradients above it are scaled down (0: no clipping)
 */
public record TrainSettings(int epochs, int maxSteps, double lr, int batchSize, double warmupFraction,
                            LearningRateSchedule.Shape schedule, int maxLength, long seed, double clipNorm,
                            double weightDecay) {

    public TrainSettings {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(maxSteps >= 0, "max steps must be at least 1 (or 0 to train for epochs), got " + maxSteps);
        require(lr > 0 && Double.isFinite(lr), "learning rate must be a positive number, got " + lr);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(warmupFraction >= 0 && warmupFraction < 1, "warm-up must be a fraction in [0, 1), got "
                + warmupFraction);
        require(maxLength >= 2, "max length must be at least 2 tokens (BOS and one target), got " + maxLength);
        require(clipNorm >= 0 && Double.isFinite(clipNorm), "clip norm must be 0 (off) or positive, got " + clipNorm);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
    }

    /**
     * One epoch, lr 1e-4, batch 8, 10% warm-up then cosine decay, 256 tokens, seed 42, clipping at
     * global norm 1 and weight decay 0.01 (transformers' Trainer defaults for the last two).
     */
    public static TrainSettings defaults() {
        return builder().build();
    }

    /** Starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts from these settings. */
    public Builder toBuilder() {
        return builder().epochs(epochs).maxSteps(maxSteps).lr(lr).batchSize(batchSize).warmupFraction(warmupFraction)
                .schedule(schedule).maxLength(maxLength).seed(seed).clipNorm(clipNorm).weightDecay(weightDecay);
    }

    /** Steps of the run over {@code documents} documents. */
    public int totalSteps(int documents) {
        return maxSteps > 0 ? maxSteps : epochs * ((documents + batchSize - 1) / batchSize);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new InputException(problem);
        }
    }

    public static final class Builder {
        private int epochs = 1;
        private int maxSteps;
        private double lr = 1e-4;
        private int batchSize = 8;
        private double warmupFraction = 0.1;
        private LearningRateSchedule.Shape schedule = LearningRateSchedule.Shape.COSINE;
        private int maxLength = 256;
        private long seed = 42;
        private double clipNorm = 1.0;
        private double weightDecay = AdamW.DEFAULT_WEIGHT_DECAY;

        private Builder() {
        }

        /** Passes over the data (used when maxSteps is 0). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Optimizer steps; 0 trains for the epochs. */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
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

        public Builder warmupFraction(double warmupFraction) {
            this.warmupFraction = warmupFraction;
            return this;
        }

        public Builder schedule(LearningRateSchedule.Shape schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** 0: no clipping. */
        public Builder clipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public TrainSettings build() {
            return new TrainSettings(epochs, maxSteps, lr, batchSize, warmupFraction, schedule, maxLength, seed, clipNorm,
                    weightDecay);
        }
    }
}
