package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PerplexityTest {

    /**
     * lm-eval's docstring example (tokens 0..8, prefix P, max_seq_len 3) with context_len 1: the
     * first window predicts 0 1 2 from P; then 3 4 5 are predicted reading 2 3 4, whose disjoint
     * context is [2]; then 6 7 8 reading 5 6 7, context [5].
     */
    @Test
    void windowsFollowLmEval() {
        int p = -1;
        List<LogLikelihood.TokenRequest> w = Perplexity.rollingWindows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, p, 3);
        assertEquals(3, w.size());
        assertWindow(w.get(0), new int[] {p}, new int[] {0, 1, 2});
        assertWindow(w.get(1), new int[] {2}, new int[] {3, 4, 5});
        assertWindow(w.get(2), new int[] {5}, new int[] {6, 7, 8});
    }

    /** A short last window keeps the full read length: predicting 9 alone reads 6 7 8. */
    @Test
    void shortLastWindowReadsFullContext() {
        List<LogLikelihood.TokenRequest> w = Perplexity.rollingWindows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, -1, 3);
        assertEquals(4, w.size());
        assertWindow(w.get(3), new int[] {6, 7, 8}, new int[] {9});
        assertEquals(1, Perplexity.rollingWindows(new int[] {5, 6}, -1, 3).size());
    }

    /**
     * With all logits 0 every token costs ln V, so token perplexity is V, and word/byte
     * perplexities are exp(tokens ln V / words) and exp(tokens ln V / bytes). The text spans many
     * 16-token windows, so a token scored twice or skipped would show.
     */
    @Test
    void uniformModelHasVocabularySizePerplexity() {
        String text = "Le café naïve — über 10 words here,\n\tand some more text to roll over several windows. ".repeat(3);
        LogLikelihood ll = new LogLikelihood(TinyModels.uniform(16), new ByteTokenizer(), false, 3);
        PerplexityResult r = new Perplexity(ll).evaluate(text);
        long bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertEquals(bytes, r.tokens());
        assertEquals(bytes, r.bytes());
        // Python: len(re.split(r"\s+", text)) = 52 (17 whitespace runs per repetition, "\n\t" being one, plus 1)
        assertEquals(52, r.words());
        double v = ByteTokenizer.VOCAB;
        assertEquals(v, r.tokenPerplexity(), 1e-6 * v);
        double wordPpl = Math.exp(bytes * Math.log(v) / r.words());
        assertEquals(wordPpl, r.wordPerplexity(), 1e-6 * wordPpl);
        assertEquals(v, r.bytePerplexity(), 1e-6 * v);
        assertEquals(Math.log(v) / Math.log(2), r.bitsPerByte(), 1e-6);
    }

    private static void assertWindow(LogLikelihood.TokenRequest w, int[] context, int[] continuation) {
        assertArrayEquals(context, w.context());
        assertArrayEquals(continuation, w.continuation());
    }
}
