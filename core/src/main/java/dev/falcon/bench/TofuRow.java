package dev.falcon.bench;

import dev.falcon.eval.TofuResult;

import java.util.List;

/**
 * One evaluated model of the TOFU comparison.
 *
 * @param name          "fine-tuned", "retain-only reference", or the unlearning method
 * @param forgetQuality KS p-value of the forget-set truth ratios against the reference model's
 * @param modelUtility  TOFU's harmonic mean over the retain, real-authors and world-facts sets (NaN if undefined)
 * @param sets          the per-set results, the forget set first
 */
public record TofuRow(String name, double forgetQuality, double modelUtility, List<TofuResult> sets) {

    public TofuRow {
        sets = List.copyOf(sets);
    }

    /** ROUGE-L recall of the greedy answers on the forget set. */
    public double forgetRougeL() {
        return forget().rougeL();
    }

    public TofuResult forget() {
        return sets.stream().filter(s -> s.kind() == TofuResult.Kind.FORGET).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has no forget-set result"));
    }
}
