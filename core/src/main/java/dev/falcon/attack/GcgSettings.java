package dev.falcon.attack;

import dev.falcon.InputException;

import java.io.Serializable;

/**
 * The knobs of {@link GreedyCoordinateGradient}.
 *
 * @param suffixLength tokens in the adversarial suffix (m)
 * @param topK         candidate tokens per suffix position, those with the most negative gradient (k)
 * @param candidates   single-token swaps evaluated per iteration (B)
 * @param heldOut      forget questions the suffix is optimised on, drawn by the seed and never scored
 * @param seed         the draw of the held-out questions and of every iteration's swaps
 */
public record GcgSettings(int suffixLength, int topK, int candidates, int heldOut, long seed) implements Serializable {

    /** Zou et al.'s suffix length m. */
    public static final int ZOU_SUFFIX_LENGTH = 20;
    /** k and B cut from Zou et al.'s 256 and 512 for CPUs. */
    public static final int CPU_TOP_K = 64;
    public static final int CPU_CANDIDATES = 64;
    public static final int DEFAULT_HELD_OUT = 8;

    public GcgSettings {
        if (suffixLength < 1 || topK < 1 || candidates < 1 || heldOut < 1) {
            throw new InputException("gcg needs suffix length, top-k, candidates and held-out questions of at least 1, "
                    + "got " + suffixLength + ", " + topK + ", " + candidates + ", " + heldOut);
        }
    }

    /**
     * Zou et al. 2023 ("Universal and Transferable Adversarial Attacks on Aligned Language Models",
     * arXiv 2307.15043) use m = 20, k = 256 and B = 512 on a GPU. The suffix length is theirs; k and B are
     * cut to 64 so that an iteration (B x held-out scored rows) stays within seconds on two CPU cores.
     * Eight held-out questions: their universal suffixes were optimised on 25 behaviours.
     */
    public static GcgSettings defaults() {
        return new GcgSettings(ZOU_SUFFIX_LENGTH, CPU_TOP_K, CPU_CANDIDATES, DEFAULT_HELD_OUT, 0);
    }
}
