package dev.falcon.attack;

import dev.falcon.InputException;

import java.io.Serializable;

/**
 * Where the few-shot attack's solved examples come from and how they are drawn.
 *
 * @param seed    seed of the draws; 1234 is lm-evaluation-harness's few-shot sampler seed
 * @param heldOut when no separate solved questions are given, how many of the scored questions are
 *                held out as the pool of examples (and not scored); 5, the size of MMLU's dev split per
 *                subject from which lm-eval draws its 5-shot examples
 */
public record FewShotSettings(long seed, int heldOut) implements Serializable {

    public static final long LM_EVAL_SEED = 1234;
    public static final int MMLU_DEV_SIZE = 5;

    public FewShotSettings {
        if (heldOut < 1) {
            throw new InputException("the few-shot pool must hold out at least 1 question, got " + heldOut);
        }
    }

    public static FewShotSettings defaults() {
        return new FewShotSettings(LM_EVAL_SEED, MMLU_DEV_SIZE);
    }
}
