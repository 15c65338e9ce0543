package dev.falcon.attack;

/**
 * The knobs of every attack that has some; each attack reads its own record.
 *
 * @param fineTune the relearning and unrelated fine-tuning runs
 * @param quantize the group sizes of the 4-bit formats
 * @param fewShot  the examples of the few-shot attack
 */
public record AttackSettings(FineTuneSettings fineTune, QuantizeSettings quantize, FewShotSettings fewShot) {

    public static AttackSettings defaults() {
        return new AttackSettings(FineTuneSettings.defaults(), QuantizeSettings.defaults(), FewShotSettings.defaults());
    }
}
