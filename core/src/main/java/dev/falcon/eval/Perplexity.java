package dev.falcon.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rolling log-likelihood of a whole text, as lm-evaluation-harness's {@code loglikelihood_rolling}
 * scores WikiText: the text is encoded without special tokens and every token is predicted
 * exactly once, in disjoint windows of at most the model's context, each conditioned on as many
 * preceding tokens as fit (the first on the prefix token alone).
 */
public final class Perplexity {

    private final LogLikelihood logLikelihood;

    public Perplexity(LogLikelihood logLikelihood) {
        this.logLikelihood = logLikelihood;
    }

    /** Scores one document; word and byte counts are those of {@code text} itself. */
    public PerplexityResult evaluate(String text) {
        int[] tokens = logLikelihood.tokenizer().encode(text, false, false);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("the text encodes to no tokens");
        }
        List<LogLikelihood.TokenRequest> windows =
                rollingWindows(tokens, logLikelihood.prefixToken(), logLikelihood.maxLength());
        double total = 0;
        for (LogLikelihood.Score s : logLikelihood.scoreTokens(windows)) {
            total += s.logLikelihood();
        }
        return new PerplexityResult(total, tokens.length, PerplexityMath.wordCount(text),
                PerplexityMath.byteCount(text));
    }

    /**
     * lm-eval's {@code get_rolling_token_windows} with {@code context_len = 1} followed by
     * {@code make_disjoint_window}. The first window predicts the first min(maxLength, n) tokens
     * from the prefix token; each later window predicts the next (up to) maxLength tokens, and its
     * context is the tokens before them that keep context + prediction at maxLength + 1, so the
     * model reads exactly the maxLength tokens before the window's last one.
     */
    public static List<LogLikelihood.TokenRequest> rollingWindows(int[] tokens, int prefixToken, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("max length must be at least 1, got " + maxLength);
        }
        List<LogLikelihood.TokenRequest> windows = new ArrayList<>();
        if (tokens.length == 0) {
            return windows;
        }
        int predicted = Math.min(maxLength, tokens.length);
        windows.add(new LogLikelihood.TokenRequest(new int[] {prefixToken}, Arrays.copyOf(tokens, predicted)));
        while (predicted < tokens.length) {
            int count = Math.min(tokens.length - predicted, maxLength);
            int end = predicted + count;
            windows.add(new LogLikelihood.TokenRequest(Arrays.copyOfRange(tokens, end - maxLength - 1, predicted),
                    Arrays.copyOfRange(tokens, predicted, end)));
            predicted = end;
        }
        return windows;
    }
}
