package dev.falcon.attack;

import dev.falcon.InputException;

import java.util.List;
import java.util.Locale;

/** The attacks by name. */
public final class Attacks {

    /** Every attack name, the existing attacks first. */
    public static final List<String> NAMES = List.of("relearn", "logit-lens", "jailbreak", "quantize", "few-shot",
            "rephrase", "finetune-unrelated", "direction-ablation", "gcg");

    private Attacks() {
    }

    /** The attack called {@code name} (any case) with its settings from {@code s}. */
    public static Attack create(String name, AttackSettings s) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "relearn" -> new FineTuneAttack(FineTuneAttack.Corpus.FORGET, s.fineTune());
            case "logit-lens" -> new LogitLensAttack();
            case "jailbreak" -> new JailbreakAttack();
            case "quantize" -> new QuantizationAttack(s.quantize());
            case "few-shot" -> new FewShotAttack(s.fewShot());
            case "rephrase" -> new RephraseAttack();
            case "finetune-unrelated" -> new FineTuneAttack(FineTuneAttack.Corpus.RETAIN, s.fineTune());
            case "direction-ablation" -> new DirectionAblation(s.ablation());
            case "gcg" -> new GreedyCoordinateGradient(s.gcg());
            default -> throw new InputException("unknown attack '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        };
    }
}
