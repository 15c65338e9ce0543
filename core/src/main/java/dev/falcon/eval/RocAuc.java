package dev.falcon.eval;

import java.util.Arrays;

/**
 * Area under the ROC curve of a membership-inference score separating forget texts (members) from
 * held-out texts (non-members), computed exactly as the Mann-Whitney statistic: the fraction of
 * (forget, held-out) pairs in which the forget text has the lower score, a tie counting 1/2. This is
 * sklearn's {@code roc_auc_score} (whose trapezoids count ties 1/2) in open-unlearning's orientation
 * (src/evals/metrics/mia/utils.py, {@code mia_auc}: forget labelled 0, holdout 1, loss-like scores):
 * 1 when every forget text is more likely than every held-out one, 0.5 when the score cannot tell them
 * apart. MUSE's own AUC (metrics/privleak.py, key {@code forget_holdout_Min-40%}) labels the held-out
 * texts as members and is 1 minus this one.
 */
public final class RocAuc {

    private RocAuc() {
    }

    /** @throws IllegalArgumentException when either set is empty or a score is NaN */
    public static double forgetAsMembers(double[] forget, double[] holdout) {
        if (forget.length == 0 || holdout.length == 0) {
            throw new IllegalArgumentException("an AUC needs at least one forget and one held-out score");
        }
        double[] all = new double[forget.length + holdout.length];
        System.arraycopy(forget, 0, all, 0, forget.length);
        System.arraycopy(holdout, 0, all, forget.length, holdout.length);
        for (double v : all) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("an AUC cannot rank a NaN score");
            }
        }
        Arrays.sort(all);
        // Mann-Whitney U of the held-out set from its midranks: the pairs it out-scores, ties 1/2
        double rankSum = 0;
        for (double h : holdout) {
            rankSum += midrank(all, h);
        }
        double u = rankSum - holdout.length * (holdout.length + 1.0) / 2;
        return u / ((double) forget.length * holdout.length);
    }

    /** The 1-based rank of {@code v} in sorted {@code all}, averaged over the run of values equal to it. */
    private static double midrank(double[] all, double v) {
        int first = lowerBound(all, v);
        int end = lowerBound(all, Math.nextUp(v));
        return (first + 1 + end) / 2.0;
    }

    /** The first index whose value is at least {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
