package dev.falcon.attack;

import java.io.Serializable;

/**
 * The knobs of every attack that has some; each attack reads its own record.
 *
 * @param fineTune the relearning and unrelated fine-tuning runs
 * @param quantize the group sizes of the 4-bit formats
 * @param fewShot  the examples of the few-shot attack
 * @param ablation the forget text the ablated directions are measured on
 * @param gcg      the adversarial suffix's search
 */
public record AttackSettings(FineTuneSettings fineTune, QuantizeSettings quantize, FewShotSettings fewShot,
                             DirectionAblationSettings ablation, GcgSettings gcg) implements Serializable {

    public static AttackSettings defaults() {
        return new AttackSettings(FineTuneSettings.defaults(), QuantizeSettings.defaults(), FewShotSettings.defaults(),
                DirectionAblationSettings.defaults(), GcgSettings.defaults());
    }

    /** The same knobs with the fine-tuning attacks at learning rate {@code lr}. */
    public AttackSettings withFineTuneLr(double lr) {
        return new AttackSettings(new FineTuneSettings(lr, fineTune.batchSize(), fineTune.maxLength(), fineTune.seed()),
                quantize, fewShot, ablation, gcg);
    }

    /**
     * The same knobs with every random draw (fine-tuning order, few-shot examples, GCG's held-out questions and
     * swaps) seeded by {@code seed}.
     */
    public AttackSettings withSeed(long seed) {
        return new AttackSettings(new FineTuneSettings(fineTune.lr(), fineTune.batchSize(), fineTune.maxLength(), seed),
                quantize, new FewShotSettings(seed, fewShot.heldOut()), ablation,
                new GcgSettings(gcg.suffixLength(), gcg.topK(), gcg.candidates(), gcg.heldOut(), seed));
    }
}
