package dev.falcon.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/** TOFU scores of one question set (forget01, retain_perturbed, real_authors_perturbed, ...). */
public record TofuResult(String task, Kind kind, List<Sample> samples) {

    public TofuResult {
        samples = List.copyOf(samples);
    }

    /** Which TOFU role a set plays, named as TOFU names its files. */
    public enum Kind {
        FORGET, RETAIN, REAL_AUTHORS, WORLD_FACTS;

        /** From the file stem: "forget..." , "real_authors...", "world_facts...", anything else is a retain set. */
        public static Kind of(String task) {
            String name = task.toLowerCase(Locale.ROOT);
            if (name.contains("forget")) {
                return FORGET;
            }
            if (name.contains("real_author")) {
                return REAL_AUTHORS;
            }
            return name.contains("world_fact") ? WORLD_FACTS : RETAIN;
        }

        boolean relativeProbability() {
            return this == REAL_AUTHORS || this == WORLD_FACTS;
        }
    }

    /**
     * @param probability P(a)^(1/|a|), or its share among the candidates (real authors, world facts)
     * @param truthRatio  R; NaN when the question has no perturbed answers
     * @param generated   the greedy answer
     * @param rougeL      ROUGE-L recall of the greedy answer against the answer
     */
    public record Sample(String question, double probability, double truthRatio, String generated, double rougeL) {
    }

    public double probability() {
        return mean(Sample::probability);
    }

    public double rougeL() {
        return mean(Sample::rougeL);
    }

    /** mean min(R, 1/R) on a forget set, mean max(0, 1 - R) elsewhere; NaN when a question has no R. */
    public double truthRatioScore() {
        double[] r = truthRatios();
        if (Arrays.stream(r).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        return kind == Kind.FORGET ? TofuScores.forgetTruthScore(r) : TofuScores.retainTruthScore(r);
    }

    public double[] truthRatios() {
        return samples.stream().mapToDouble(Sample::truthRatio).toArray();
    }

    /** KS p-value of this set's truth ratios against those of a model never trained on the forget set. */
    public double forgetQuality(double[] referenceTruthRatios) {
        return TofuScores.forgetQuality(truthRatios(), referenceTruthRatios);
    }

    /**
     * TOFU's model utility: harmonic mean of probability, ROUGE-L and truth-ratio score of one
     * retain, one real-authors and one world-facts set. Empty unless exactly one set of each of
     * those kinds is given and all nine scores are defined.
     */
    public static OptionalDouble modelUtility(List<TofuResult> results) {
        double[] scores = new double[9];
        int k = 0;
        for (Kind kind : List.of(Kind.RETAIN, Kind.REAL_AUTHORS, Kind.WORLD_FACTS)) {
            List<TofuResult> ofKind = results.stream().filter(r -> r.kind() == kind).toList();
            if (ofKind.size() != 1) {
                return OptionalDouble.empty();
            }
            TofuResult r = ofKind.get(0);
            scores[k++] = r.probability();
            scores[k++] = r.rougeL();
            scores[k++] = r.truthRatioScore();
        }
        if (Arrays.stream(scores).anyMatch(Double::isNaN)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(TofuScores.modelUtility(scores));
    }

    private double mean(ToDoubleFunction<Sample> score) {
        return samples.stream().mapToDouble(score).average().orElse(Double.NaN);
    }
}
