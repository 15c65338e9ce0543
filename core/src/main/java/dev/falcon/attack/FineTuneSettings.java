package dev.falcon.attack;

import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;

import java.io.Serializable;

/**
 * The fine-tuning of the relearning and unrelated fine-tuning attacks: AdamW at a constant learning
 * rate, no warm-up and no weight decay, so that the weights after s steps are the same whatever the
 * number of steps the run goes on for, and one run measures every step budget.
 *
 * @param lr        learning rate (default 1e-5, what {@code falcon attack --kind relearn} has used throughout)
 * @param batchSize documents per step
 * @param maxLength tokens per document, BOS included
 * @param seed      seed of the document order
 */
public record FineTuneSettings(double lr, int batchSize, int maxLength, long seed) implements Serializable {

    public static final double DEFAULT_LR = 1e-5;
    public static final int DEFAULT_BATCH_SIZE = 4;
    public static final int DEFAULT_MAX_LENGTH = 512;
    public static final long DEFAULT_SEED = 42;

    public static FineTuneSettings defaults() {
        return new FineTuneSettings(DEFAULT_LR, DEFAULT_BATCH_SIZE, DEFAULT_MAX_LENGTH, DEFAULT_SEED);
    }

    /** The training run for {@code steps} steps (clipping at global norm 1, as every run of the project). */
    TrainSettings training(int steps) {
        return TrainSettings.builder().epochs(1).maxSteps(steps).lr(lr).batchSize(batchSize).warmupFraction(0)
                .schedule(LearningRateSchedule.Shape.CONSTANT).maxLength(maxLength).seed(seed).clipNorm(1.0)
                .weightDecay(0).build();
    }
}
