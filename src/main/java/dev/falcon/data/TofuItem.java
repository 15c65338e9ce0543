package dev.falcon.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One TOFU question. {@code paraphrasedAnswer} is null where the set has none (retain90/95/99,
 * real authors, world facts); {@code perturbedAnswers} is empty where the set has none.
 */
public record TofuItem(String question, String answer, String paraphrasedAnswer, List<String> perturbedAnswers,
                       Path file, int line) {

    public TofuItem {
        perturbedAnswers = List.copyOf(perturbedAnswers);
    }

    /**
     * The answer the truth ratio compares the perturbed answers with: TOFU's eval config uses
     * the paraphrased answer for the forget and retain sets and the plain answer for the real
     * authors and world facts sets, which have no paraphrase.
     */
    public String baseAnswer() {
        return paraphrasedAnswer != null ? paraphrasedAnswer : answer;
    }
}
