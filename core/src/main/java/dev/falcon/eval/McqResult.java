package dev.falcon.eval;

import dev.falcon.data.Problem;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The scores of one multiple-choice task.
 *
 * @param samples  one per usable question, in data-set order
 * @param problems malformed rows that were skipped
 */
public record McqResult(String task, List<Sample> samples, List<Problem> problems) {

    public McqResult {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
    }

    /**
     * One question's scores.
     *
     * @param index the question's index in its data set
     * @param gold  the right choice
     * @param cloze the cloze-form scores, or null when the cloze form was not scored
     */
    public record Sample(int index, int gold, Choices lettered, Choices cloze) {
    }

    /**
     * Log-likelihoods of the choices and the predictions drawn from them.
     *
     * @param pred     first argmax of the log-likelihoods (numpy's argmax keeps the first of ties)
     * @param predNorm first argmax of log-likelihood / character count of the choice text: lm-eval's
     *                 acc_norm divides by {@code len(choice)}, Python's length in code points,
     *                 of the choice without the leading space
     */
    public record Choices(double[] loglikelihoods, int pred, int predNorm) {

        static Choices of(double[] lls, List<String> choiceTexts) {
            double[] normalized = new double[lls.length];
            for (int i = 0; i < lls.length; i++) {
                String text = choiceTexts.get(i);
                normalized[i] = lls[i] / text.codePointCount(0, text.length());
            }
            return new Choices(lls.clone(), argmax(lls), argmax(normalized));
        }

        private static int argmax(double[] values) {
            int best = 0;
            for (int i = 1; i < values.length; i++) {
                if (values[i] > values[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    public int n() {
        return samples.size();
    }

    public boolean hasCloze() {
        return !samples.isEmpty() && samples.get(0).cloze() != null;
    }

    public double acc() {
        return accuracy(s -> s.lettered().pred());
    }

    public double accStderr() {
        return stderr(acc());
    }

    public double clozeAcc() {
        return accuracy(s -> s.cloze().pred());
    }

    public double clozeAccNorm() {
        return accuracy(s -> s.cloze().predNorm());
    }

    /** {@link #acc()} as a count of right answers, with its confidence interval. */
    public Accuracy accuracy() {
        return counted(s -> s.lettered().pred());
    }

    private double accuracy(ToIntFunction<Sample> prediction) {
        return counted(prediction).value();
    }

    private Accuracy counted(ToIntFunction<Sample> prediction) {
        long right = samples.stream().filter(s -> prediction.applyAsInt(s) == s.gold()).count();
        return new Accuracy((int) right, samples.size());
    }

    /**
     * lm-eval's standard error of a mean of 0/1 scores: sample standard deviation / sqrt(n), which
     * for a proportion p is sqrt(p (1 - p) / (n - 1)). NaN for a single question, as the sample
     * deviation is undefined.
     */
    public double stderr(double accuracy) {
        int n = samples.size();
        return n < 2 ? Double.NaN : Math.sqrt(accuracy * (1 - accuracy) / (n - 1));
    }
}
