package dev.falcon.eval;

/**
 * One text as the membership-inference scores see it: the text that zlib compresses and, for each of
 * its scored tokens, the log-probability and the vocabulary's log-probability mean and variance at
 * that position (see {@link LogLikelihood.TokenLogProbs}).
 */
public record MembershipText(String text, double[] logProbs, double[] vocabMean, double[] vocabVariance) {

    public MembershipText {
        if (logProbs.length == 0 || vocabMean.length != logProbs.length || vocabVariance.length != logProbs.length) {
            throw new IllegalArgumentException("a scored text needs at least one token and one mean and variance per token");
        }
    }
}
