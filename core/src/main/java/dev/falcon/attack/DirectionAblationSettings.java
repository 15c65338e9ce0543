package dev.falcon.attack;

import dev.falcon.InputException;

import java.io.Serializable;

/**
 * The knobs of {@link DirectionAblation}.
 *
 * @param documents how many forget documents (the first ones) the directions are measured on
 * @param maxTokens how many tokens of each document are read at most
 * @param batchSize documents per forward pass while measuring
 * @param minShift  a direction is kept only where the unlearned model's shift along it (the norm of the mean
 *                  difference, or the root mean square of a principal component) exceeds this fraction of the
 *                  original's root-mean-square stream norm: below it the difference is float rounding, whose
 *                  normalised direction would be noise
 */
public record DirectionAblationSettings(int documents, int maxTokens, int batchSize, double minShift)
        implements Serializable {

    public static final int DEFAULT_DOCUMENTS = 64;

    public DirectionAblationSettings {
        if (documents < 1 || maxTokens < 2 || batchSize < 1) {
            throw new InputException("direction-ablation needs documents >= 1, max tokens >= 2 and batch size >= 1, "
                    + "got " + documents + ", " + maxTokens + ", " + batchSize);
        }
        if (!(minShift >= 0 && minShift < 1)) {
            throw new InputException("direction-ablation's minimum shift must be in [0, 1), got " + minShift);
        }
    }

    /**
     * 64 documents of at most 256 tokens: Arditi and Chughtai ("Unlearning via RMU is mostly shallow", 2024)
     * took their difference of means over a few hundred hazardous prompts; a mean direction settles with
     * far fewer tokens than that. A shift under 1e-4 of the stream norm is taken as rounding.
     */
    public static DirectionAblationSettings defaults() {
        return withDocuments(DEFAULT_DOCUMENTS);
    }

    /** The defaults, measured on the first {@code documents} forget documents. */
    public static DirectionAblationSettings withDocuments(int documents) {
        return new DirectionAblationSettings(documents, 256, 8, 1e-4);
    }
}
