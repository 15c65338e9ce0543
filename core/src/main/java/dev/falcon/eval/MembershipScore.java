package dev.falcon.eval;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;

/**
 * Membership-inference scores of one text from its tokens' log-probabilities, as open-unlearning
 * defines them (locuslab/open-unlearning, src/evals/metrics/mia/loss.py, zlib.py, min_k.py and
 * min_k_plus_plus.py) and MUSE before it (swj0419/muse_bench, metrics/privleak.py). Every score is
 * oriented like a loss: the higher it is, the less likely the model finds the text, so the less it
 * looks like training data.
 */
public enum MembershipScore {

    /** Mean negative log-likelihood per scored token (Yeom et al. 2018; MUSE's "PPL" key is this loss). */
    LOSS("loss") {
        @Override
        double of(MembershipText t, double k) {
            return meanNll(t.logProbs());
        }
    },

    /**
     * Mean NLL divided by the length in bytes of zlib's compression of the text's UTF-8 bytes
     * (Carlini et al. 2021), {@code loss / len(zlib.compress(text.encode("utf-8")))} in both MUSE and
     * open-unlearning.
     */
    ZLIB("zlib") {
        @Override
        double of(MembershipText t, double k) {
            return meanNll(t.logProbs()) / zlibLength(t.text());
        }
    },

    /** Min-K% Prob (Shi et al. 2024): minus the mean of the lowest k of the token log-probabilities. */
    MIN_K("min_k") {
        @Override
        double of(MembershipText t, double k) {
            return minK(t.logProbs(), k);
        }
    },

    /**
     * Min-K%++ (Zhang et al. 2024): each token's log-probability standardised by the mean and
     * standard deviation of log p over the vocabulary at its position, then Min-K% of those.
     */
    MIN_K_PLUS_PLUS("min_k++") {
        @Override
        double of(MembershipText t, double k) {
            return minKPlusPlus(t.logProbs(), t.vocabMean(), t.vocabVariance(), k);
        }
    };

    /** open-unlearning's floor on the vocabulary variance (torch.clamp(sigma, min=1e-6)), against a near-one-hot position. */
    static final double MIN_VARIANCE = 1e-6;

    private final String key;

    MembershipScore(String key) {
        this.key = key;
    }

    /** The name open-unlearning registers the attack under, used as the results.json key. */
    public String key() {
        return key;
    }

    /** The score of one text, with {@code k} the fraction of tokens Min-K% and Min-K%++ average. */
    abstract double of(MembershipText text, double k);

    public static MembershipScore byKey(String key) {
        for (MembershipScore s : values()) {
            if (s.key.equals(key.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown membership score '" + key + "'");
    }

    static double meanNll(double[] logProbs) {
        double sum = 0;
        for (double lp : logProbs) {
            sum -= lp;
        }
        return sum / logProbs.length;
    }

    /** Python's {@code len(zlib.compress(data))}: zlib format (header and Adler-32 trailer), default level 6. */
    static int zlibLength(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an in-memory stream cannot fail", e);
        }
        return out.size();
    }

    /**
     * Minus the mean of the lowest max(1, floor(n k)) of the n values: open-unlearning's
     * {@code num_k = max(1, int(len(lp) * k))} (MUSE's {@code int(len * ratio)} without the floor of
     * one, which leaves a text of under 1/k tokens with no score).
     */
    static double minK(double[] values, double k) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Min-K% of no tokens");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int count = Math.max(1, (int) (sorted.length * k));
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += sorted[i];
        }
        return -sum / count;
    }

    /** Min-K% of (log p(x_t) - mu_t) / sqrt(max(var_t, 1e-6)) over the tokens t. */
    static double minKPlusPlus(double[] logProbs, double[] mean, double[] variance, double k) {
        double[] standardised = new double[logProbs.length];
        for (int t = 0; t < logProbs.length; t++) {
            standardised[t] = (logProbs[t] - mean[t]) / Math.sqrt(Math.max(variance[t], MIN_VARIANCE));
        }
        return minK(standardised, k);
    }
}
