package dev.falcon.eval;

/**
 * A text's total log-likelihood (natural log) and the counts its perplexities divide by.
 *
 * @param tokens tokens predicted (all tokens of the text)
 * @param words  lm-eval's word count of the text ({@link PerplexityMath#wordCount})
 * @param bytes  UTF-8 bytes of the text
 */
public record PerplexityResult(double logLikelihood, long tokens, long words, long bytes) {

    public double tokenPerplexity() {
        return PerplexityMath.perplexity(logLikelihood, tokens);
    }

    public double wordPerplexity() {
        return PerplexityMath.perplexity(logLikelihood, words);
    }

    public double bytePerplexity() {
        return PerplexityMath.perplexity(logLikelihood, bytes);
    }

    public double bitsPerByte() {
        return PerplexityMath.bitsPerByte(logLikelihood, bytes);
    }
}
