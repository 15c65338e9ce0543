package dev.falcon.eval;

/**
 * MUSE's privacy leakage (Shi et al. 2024, Sec. 3; swj0419/muse_bench eval.py): the relative
 * difference, in percent, between the unlearned model's membership-inference AUC and that of a model
 * retrained without the forget set, on the Min-K% score with k = 40% (MUSE's
 * {@code privleak_auc_key = 'forget_holdout_Min-40%'}; open-unlearning's configs/eval/muse_metrics/privleak.yaml
 * pre-computes {@code mia_min_k} with {@code k: 0.4} likewise). MUSE's AUC treats the held-out texts as
 * members, so in the forget-as-members orientation of {@link RocAuc} (open-unlearning's, whose
 * {@code privleak} handler converts back with 1 - x) it is
 * <pre>PrivLeak = ((1 - AUC_unlearned) - (1 - AUC_reference)) / (1 - AUC_reference) * 100.</pre>
 * Near 0 the unlearned model leaks no more than the retrained one; strongly negative means
 * under-unlearning (the forget texts still look like members), strongly positive over-unlearning.
 */
public final class PrivLeak {

    /** The score PrivLeak is taken on: Min-K%, as in MUSE and open-unlearning. */
    public static final MembershipScore SCORE = MembershipScore.MIN_K;

    private PrivLeak() {
    }

    /** NaN when the reference's MUSE AUC is 0 (every held-out text below every forget text), where it is undefined. */
    public static double of(double aucUnlearned, double aucReference) {
        double reference = 1 - aucReference;
        return reference == 0 ? Double.NaN : ((1 - aucUnlearned) - reference) / reference * 100;
    }
}
