package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scorer's fast path (contexts read once, continuations on the context's cached keys and values, the head
 * only at scored positions, batches grouped by length) against the plain computation: one full forward pass per
 * request and the log-softmax of its full logits. Random models, every batch size from 1 to past the request
 * count.
 */
class LogLikelihoodFastPathTest {

    private static final int MAX_LENGTH = 32;
    private static final ByteTokenizer TOK = new ByteTokenizer();

    /** Plain Llama with grouped-query attention, and a Mistral-style model whose window the contexts exceed. */
    private static List<LlamaModel> models() {
        LlamaConfig windowed = new LlamaConfig("MistralForCausalLM", 16, 32, 2, 4, 2, 4, ByteTokenizer.VOCAB, 1e-5,
                10000.0, null, true, false, MAX_LENGTH, "float32", 1, 2, 7);
        return List.of(TinyModels.random(MAX_LENGTH, 21), RandomModel.create(windowed, 22, DType.F32));
    }

    @Test
    void letteredAnswersMatchThePlainPath() {
        Random r = new Random(1);
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        for (int context : new int[] {9, 14, 20, 3}) {
            int[] c = tokens(r, context);
            for (int letter = 0; letter < 4; letter++) {
                requests.add(new LogLikelihood.TokenRequest(c, new int[] {'A' + 3 + letter}));
            }
        }
        assertFastEqualsPlain(requests);
    }

    /**
     * Cloze answers of one to four tokens, two of them starting alike, a context longer than the model's window
     * (so it is truncated from the left), and a continuation the model itself would pick (greedy).
     */
    @Test
    void clozeAnswersMatchThePlainPath() {
        Random r = new Random(2);
        for (LlamaModel model : models()) {
            List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
            for (int context : new int[] {12, 5, 30, 19}) {
                requests.addAll(cloze(tokens(r, context), r));
            }
            int[] context = tokens(r, 10);
            requests.add(new LogLikelihood.TokenRequest(context, greedyTokens(model, context, 3)));
            assertTrue(plain(model, requests.get(requests.size() - 1)).greedy(), "the continuation is greedy");
            assertFastEqualsPlain(model, requests);
        }
    }

    @Test
    void rollingPerplexityWindowsMatchThePlainPath() {
        int[] text = tokens(new Random(3), 3 * MAX_LENGTH + 5);
        assertFastEqualsPlain(Perplexity.rollingWindows(text, TOK.bosId(), MAX_LENGTH));
    }

    /**
     * Each question's context is read once: the tokens the model reads are each context once plus each answer's
     * tokens after the first (the last token is only predicted), not every answer's whole input.
     */
    @Test
    void clozeContextsAreReadOnce() {
        Random r = new Random(4);
        int[] lengths = {12, 5, 19};
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        for (int length : lengths) {
            requests.addAll(cloze(tokens(r, length), r));
        }
        long[] read = {0};
        LogLikelihood counting = new LogLikelihood(models().get(0), TOK, false, 2, (m, b, cache) -> {
            read[0] += Arrays.stream(b.lengths()).sum();
            return LogLikelihood.Readout.output().stream(m, b, cache);
        });
        counting.scoreTokens(requests);
        int answerRests = 0 + 1 + 2 + 3;
        assertEquals(Arrays.stream(lengths).sum() + lengths.length * answerRests, read[0]);
    }

    /** Four answers: one token, two that share their first token, and four tokens. */
    private static List<LogLikelihood.TokenRequest> cloze(int[] context, Random r) {
        int[] shared = tokens(r, 1);
        return List.of(new LogLikelihood.TokenRequest(context, tokens(r, 1)),
                new LogLikelihood.TokenRequest(context, concat(shared, tokens(r, 1))),
                new LogLikelihood.TokenRequest(context, concat(shared, tokens(r, 2))),
                new LogLikelihood.TokenRequest(context, tokens(r, 4)));
    }

    private static void assertFastEqualsPlain(List<LogLikelihood.TokenRequest> requests) {
        for (LlamaModel model : models()) {
            assertFastEqualsPlain(model, requests);
        }
    }

    private static void assertFastEqualsPlain(LlamaModel model, List<LogLikelihood.TokenRequest> requests) {
        List<LogLikelihood.Score> expected = requests.stream().map(q -> plain(model, q)).toList();
        for (int batch = 1; batch <= requests.size() + 1; batch++) {
            List<LogLikelihood.Score> got = new LogLikelihood(model, TOK, false, batch).scoreTokens(requests);
            for (int i = 0; i < requests.size(); i++) {
                String where = "batch " + batch + ", request " + i;
                assertEquals(expected.get(i).logLikelihood(), got.get(i).logLikelihood(), 1e-4, where);
                assertEquals(expected.get(i).greedy(), got.get(i).greedy(), where);
                assertEquals(expected.get(i).tokens(), got.get(i).tokens(), where);
            }
        }
    }

    /** One forward pass over the request's whole (left-truncated) input; log-softmax of the full logits. */
    private static LogLikelihood.Score plain(LlamaModel model, LogLikelihood.TokenRequest q) {
        int[] whole = concat(q.context(), q.continuation());
        int[] window = Arrays.copyOfRange(whole, Math.max(0, whole.length - MAX_LENGTH - 1), whole.length);
        int input = window.length - 1;
        int vocab = model.config().vocabSize();
        double[] logP;
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            logP = model.forward(Batch.single(Arrays.copyOf(window, input)), null).to(DType.F64).logSoftmax(2)
                    .toDoubles();
        }
        double sum = 0;
        boolean greedy = true;
        for (int p = input - q.continuation().length; p < input; p++) {
            int target = window[p + 1];
            sum += logP[p * vocab + target];
            for (int v = 0; v < vocab; v++) {
                greedy &= logP[p * vocab + v] <= logP[p * vocab + target];
            }
        }
        return new LogLikelihood.Score(sum, greedy, q.continuation().length);
    }

    /** {@code n} tokens the model picks itself after {@code context}. */
    private static int[] greedyTokens(LlamaModel model, int[] context, int n) {
        int[] seq = context;
        for (int i = 0; i < n; i++) {
            try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
                long next = model.forward(Batch.single(seq), null).select(1, seq.length - 1).argmax(1).toLongs()[0];
                seq = concat(seq, new int[] {(int) next});
            }
        }
        return Arrays.copyOfRange(seq, context.length, seq.length);
    }

    /** Random byte tokens (ids 3 and up: no special token). */
    private static int[] tokens(Random r, int n) {
        return r.ints(n, 3, ByteTokenizer.VOCAB).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
