package dev.falcon.eval;

/**
 * TOFU's scores from per-answer mean token NLLs (the model-dependent part is computing those).
 * Definitions follow the TOFU paper and its aggregate_stat_eval.py: probabilities are
 * length-normalised, P = exp(-mean NLL); the truth ratio R compares the perturbed (wrong)
 * answers with the paraphrased (right) one by the geometric mean of their probabilities.
 */
public final class TofuScores {

    private TofuScores() {
    }

    /** P(a|q)^(1/|a|) = exp(-mean token NLL of the answer). */
    public static double normalizedProbability(double meanNll) {
        return Math.exp(-meanNll);
    }

    /**
     * R = (prod_i P(perturbed_i))^(1/k) / P(paraphrased) = exp(NLL_paraphrased - mean_i NLL_perturbed_i).
     * Near 1 when the model cannot tell right from wrong, small when it knows the right answer.
     */
    public static double truthRatio(double paraphrasedMeanNll, double[] perturbedMeanNll) {
        return Math.exp(paraphrasedMeanNll - mean(perturbedMeanNll));
    }

    /** Forget sets: mean of min(R, 1/R), highest (1) when every answer is as likely as its perturbations. */
    public static double forgetTruthScore(double[] truthRatios) {
        double sum = 0;
        for (double r : truthRatios) {
            sum += Math.min(r, 1 / r);
        }
        return sum / nonEmpty(truthRatios).length;
    }

    /** Retain, real-authors and world-facts sets: mean of max(0, 1 - R). */
    public static double retainTruthScore(double[] truthRatios) {
        double sum = 0;
        for (double r : truthRatios) {
            sum += Math.max(0, 1 - r);
        }
        return sum / nonEmpty(truthRatios).length;
    }

    /**
     * The probability score of the real-authors and world-facts sets: P(a) / (P(a) + sum_i P(perturbed_i)),
     * the answer's share among the candidate answers.
     */
    public static double relativeProbability(double answerMeanNll, double[] perturbedMeanNll) {
        double answer = normalizedProbability(answerMeanNll);
        double all = answer;
        for (double nll : perturbedMeanNll) {
            all += normalizedProbability(nll);
        }
        return answer / all;
    }

    /**
     * Forget quality: the KS p-value between the forget-set truth ratios of the unlearned model
     * and of the model never trained on the forget set. TOFU feeds 1/R to the test; R and 1/R
     * give the same p-value, as the KS statistic only depends on the ordering of the values.
     */
    public static double forgetQuality(double[] unlearnedTruthRatios, double[] retainModelTruthRatios) {
        return KolmogorovSmirnov.twoSamplePValue(unlearnedTruthRatios, retainModelTruthRatios);
    }

    /**
     * Model utility: the harmonic mean (scipy.stats.hmean) of the probability, ROUGE-L and truth
     * ratio scores of the retain, real-authors and world-facts sets. 0 when any score is 0.
     */
    public static double modelUtility(double... scores) {
        double reciprocalSum = 0;
        for (double s : nonEmpty(scores)) {
            if (!(s >= 0)) {
                throw new IllegalArgumentException("model utility needs scores >= 0, got " + s);
            }
            if (s == 0) {
                return 0;
            }
            reciprocalSum += 1 / s;
        }
        return scores.length / reciprocalSum;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : nonEmpty(values)) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double[] nonEmpty(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to average");
        }
        return values;
    }
}
