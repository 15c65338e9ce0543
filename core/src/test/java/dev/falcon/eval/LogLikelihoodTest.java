package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLikelihoodTest {

    private final ByteTokenizer tok = new ByteTokenizer();

    /** lm-eval moves the context's trailing whitespace to the continuation: "Answer: " + "A" scores " A". */
    @Test
    void trailingWhitespaceMovesToContinuation() {
        LogLikelihood ll = new LogLikelihood(TinyModels.random(64, 1), tok, false, 4);
        LogLikelihood.TokenRequest r = ll.encode(new LogLikelihood.Request("Answer: \t", "A"));
        assertArrayEquals(tok.encode("Answer:", false, false), r.context());
        assertArrayEquals(new int[] {' ' + 3, '\t' + 3, 'A' + 3}, r.continuation());
        LogLikelihood withBos = new LogLikelihood(TinyModels.random(64, 1), tok, true, 4);
        LogLikelihood.TokenRequest b = withBos.encode(new LogLikelihood.Request("Q", " A"));
        assertArrayEquals(new int[] {1, 'Q' + 3}, b.context());
        assertArrayEquals(new int[] {' ' + 3, 'A' + 3}, b.continuation());
    }

    /**
     * Four single-token answers after one context share one model input (one row, as lm-eval groups
     * them): five requests, two rows. Each still gets the score it gets when scored alone.
     */
    @Test
    void answersSharingAnInputScoreAsIfAlone() {
        LlamaModel model = TinyModels.random(64, 3);
        int[] rows = {0};
        LogLikelihood ll = new LogLikelihood(model, tok, true, 8, (m, b, cache) -> {
            rows[0] += b.rows();
            return LogLikelihood.Readout.output().stream(m, b, cache);
        });
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (String answer : List.of(" A", " B", " C", " D")) {
            requests.add(new LogLikelihood.Request("Question: 2 + 2?\nAnswer:", answer));
        }
        requests.add(new LogLikelihood.Request("Other", " context"));
        List<LogLikelihood.Score> together = ll.score(requests);
        assertEquals(2, rows[0]);
        for (int i = 0; i < requests.size(); i++) {
            LogLikelihood.Score alone = ll.score(List.of(requests.get(i))).get(0);
            assertEquals(alone.logLikelihood(), together.get(i).logLikelihood(), 1e-5, "request " + i);
            assertEquals(alone.greedy(), together.get(i).greedy(), "request " + i);
            assertTrue(together.get(i).logLikelihood() < 0);
        }
        assertEquals(4, together.subList(0, 4).stream().map(LogLikelihood.Score::logLikelihood).distinct().count());
    }

    @Test
    void emptyContextReadsFromBos() {
        LogLikelihood ll = new LogLikelihood(TinyModels.random(64, 1), tok, false, 4);
        LogLikelihood.TokenRequest r = ll.encode(new LogLikelihood.Request("", "hi"));
        assertArrayEquals(new int[] {1}, r.context());
        assertArrayEquals(new int[] {'h' + 3, 'i' + 3}, r.continuation());
    }

    /**
     * All logits 0: each token costs ln V, and the argmax of a constant row is token 0 (first of
     * ties, as torch.argmax), so only a continuation of 0s is greedy.
     */
    @Test
    void uniformModelScoresInClosedForm() {
        LogLikelihood ll = new LogLikelihood(TinyModels.uniform(64), tok, false, 4);
        List<LogLikelihood.Score> s = ll.scoreTokens(List.of(
                new LogLikelihood.TokenRequest(new int[] {1}, new int[] {0, 0}),
                new LogLikelihood.TokenRequest(new int[] {1, 7, 9}, new int[] {5})));
        assertEquals(-2 * Math.log(ByteTokenizer.VOCAB), s.get(0).logLikelihood(), 1e-5);
        assertTrue(s.get(0).greedy());
        assertEquals(2, s.get(0).tokens());
        assertEquals(-Math.log(ByteTokenizer.VOCAB), s.get(1).logLikelihood(), 1e-5);
        assertFalse(s.get(1).greedy());
    }

    /** Sorting, padding and batching must not change any score, nor the order of the answers. */
    @Test
    void batchedScoresEqualOneAtATime() {
        LlamaModel model = TinyModels.random(64, 3);
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            requests.add(new LogLikelihood.Request("context number " + "x".repeat(i * 3), " answer " + i));
        }
        List<LogLikelihood.Score> alone = new LogLikelihood(model, tok, false, 1).score(requests);
        List<LogLikelihood.Score> batched = new LogLikelihood(model, tok, false, 3).score(requests);
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(alone.get(i).logLikelihood(), batched.get(i).logLikelihood(), 1e-5, "request " + i);
            assertEquals(alone.get(i).greedy(), batched.get(i).greedy());
        }
    }

    /**
     * A context longer than the model's 16 positions is cut from the left: the model reads the 16
     * tokens before the last one, and the continuation's 3 tokens are the last 3 targets. The
     * reference sums log_softmax by hand over one unpadded forward pass of that input.
     */
    @Test
    void longContextIsTruncatedFromTheLeft() {
        LlamaModel model = TinyModels.random(16, 5);
        int[] context = tok.encode("a context far longer than sixteen tokens", false, false);
        int[] continuation = tok.encode(" end", false, false);
        int[] whole = concat(context, continuation);
        int[] window = Arrays.copyOfRange(whole, whole.length - 17, whole.length);
        double expected = 0;
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            Tensor logProbs = model.forward(Batch.single(Arrays.copyOf(window, 16)), null).select(0, 0).logSoftmax(1);
            for (int p = 16 - continuation.length; p < 16; p++) {
                expected += logProbs.select(0, p).select(0, window[p + 1]).item();
            }
        }
        LogLikelihood.Score score = new LogLikelihood(model, tok, false, 2)
                .scoreTokens(List.of(new LogLikelihood.TokenRequest(context, continuation))).get(0);
        assertEquals(expected, score.logLikelihood(), 1e-5);
    }

    @Test
    void refusesContinuationLongerThanTheContext() {
        LogLikelihood ll = new LogLikelihood(TinyModels.random(4, 1), tok, false, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ll.scoreTokens(List.of(
                new LogLikelihood.TokenRequest(new int[] {1}, new int[] {5, 6, 7, 8, 9}))));
        assertTrue(e.getMessage().contains("longer than the model's context of 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ll.scoreTokens(List.of(
                new LogLikelihood.TokenRequest(new int[] {1}, new int[0]))));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A batch keeps its float32 attention scores within LogLikelihood.ATTENTION_BYTES: the tiny model has 2
     * heads, so a row of a 1500-token context takes 2 x 1500^2 x 4 = 18 MB and batches hold one row each, where
     * 500-token contexts (2 MB a row) fill the batch size.
     */
    @Test
    void longContextsMakeSmallerBatches() {
        LogLikelihood ll = new LogLikelihood(TinyModels.random(2048, 1), tok, false, 8);
        for (int[] widthAndBatches : new int[][] {{1500, 4}, {500, 1}}) {
            List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int[] context = new int[widthAndBatches[0]];
                Arrays.fill(context, 10 + i);
                requests.add(new LogLikelihood.TokenRequest(context, new int[] {5}));
            }
            assertEquals(widthAndBatches[1], ll.plan(requests).size(), "contexts of " + widthAndBatches[0]);
        }
    }
}
