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
}
