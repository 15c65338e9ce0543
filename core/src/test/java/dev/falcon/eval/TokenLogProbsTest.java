package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link LogLikelihood#tokenLogProbs}: per-token log-probabilities and the vocabulary moments Min-K%++ needs. */
class TokenLogProbsTest {

    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);

    /**
     * A readout with a vocabulary of 3 and fixed logits per position: (0, -ln 2, -ln 2) gives probabilities
     * (1/2, 1/4, 1/4); (-ln 2, 0, -ln 2) gives (1/4, 1/2, 1/4); (0, 0, 0) is uniform. Continuation 1, 1, 2
     * after context 0: log p = (-2 ln 2, -ln 2, -ln 3); means (-1.5 ln 2, -1.5 ln 2, -ln 3); variances
     * (ln 2 / 2)^2 twice, then 0.
     */
    @Test
    void handComputedSoftmaxCase() {
        float l2 = (float) LN2;
        float[][] logits = {{0, -l2, -l2}, {-l2, 0, -l2}, {0, 0, 0}};
        LlamaModel model = TinyModels.random(16, 1);
        LogLikelihood ll = new LogLikelihood(model, new ByteTokenizer(), false, 4, positionReadout(model, logits));
        LogLikelihood.TokenLogProbs t = ll.tokenLogProbs(List.of(
                new LogLikelihood.TokenRequest(new int[] {0}, new int[] {1, 1, 2}))).get(0);
        assertArrayEquals(new double[] {-2 * LN2, -LN2, -LN3}, t.logProbs(), 1e-6);
        assertArrayEquals(new double[] {-1.5 * LN2, -1.5 * LN2, -LN3}, t.vocabMean(), 1e-6);
        double v = 0.25 * LN2 * LN2;
        assertArrayEquals(new double[] {v, v, 0}, t.vocabVariance(), 1e-6);
        assertFalse(t.greedy(), "token 1 is not the argmax at the first position");
        // Min-K%++ at 40% of z = (-1, +1, ~0): the lowest one, -1
        MembershipText text = new MembershipText("x", t.logProbs(), t.vocabMean(), t.vocabVariance());
        assertEquals(1.0, MembershipScore.MIN_K_PLUS_PLUS.of(text, 0.4), 1e-4);
    }

    /**
     * A readout whose stream at position t is a large multiple of unit vector t, and a head set so that the final
     * norm and the head turn it into {@code logits[t]} over tokens 0..2 and a logit of -10^4 (probability 0 in
     * float) for every other token: a vocabulary of 3 in effect.
     */
    private static LogLikelihood.Readout positionReadout(LlamaModel model, float[][] logits) {
        int hidden = model.config().hiddenSize();
        int vocab = model.config().vocabSize();
        float scale = (float) Math.sqrt(hidden);
        float[] head = new float[vocab * hidden];
        java.util.Arrays.fill(head, -1e4f / scale);
        for (int v = 0; v < logits[0].length; v++) {
            for (int t = 0; t < logits.length; t++) {
                head[v * hidden + t] = logits[t][v] / scale;
            }
        }
        model.setParam(LlamaModel.FINAL_NORM, Tensor.ones(dev.falcon.engine.DType.F32, hidden));
        model.setParam(LlamaModel.LM_HEAD, Tensor.of(head, vocab, hidden));
        float[] stream = new float[logits.length * hidden];
        for (int t = 0; t < logits.length; t++) {
            stream[t * hidden + t] = 1000;
        }
        return (m, b, cache) -> Tensor.of(stream, 1, logits.length, hidden);
    }

    /**
     * On a random model, several requests batched: the moments equal a direct double-precision
     * computation from the model's logits, and the log-probabilities sum to scoreTokens' score.
     */
    @Test
    void momentsMatchADirectComputationFromTheLogits() {
        LlamaModel model = TinyModels.random(32, 11);
        ByteTokenizer tok = new ByteTokenizer();
        LogLikelihood ll = new LogLikelihood(model, tok, false, 2);
        List<LogLikelihood.TokenRequest> requests = List.of(
                new LogLikelihood.TokenRequest(new int[] {1}, tok.encode("Hello there", false, false)),
                new LogLikelihood.TokenRequest(tok.encode("Q: why", false, false), tok.encode(" because", false, false)),
                new LogLikelihood.TokenRequest(new int[] {1}, tok.encode("ab", false, false)));
        List<LogLikelihood.TokenLogProbs> perToken = ll.tokenLogProbs(requests);
        List<LogLikelihood.Score> scores = ll.scoreTokens(requests);
        for (int i = 0; i < requests.size(); i++) {
            LogLikelihood.TokenRequest r = requests.get(i);
            double[][] expected = direct(model, r);
            LogLikelihood.TokenLogProbs t = perToken.get(i);
            assertArrayEquals(expected[0], t.logProbs(), 1e-4, "request " + i);
            assertArrayEquals(expected[1], t.vocabMean(), 1e-4, "request " + i);
            assertArrayEquals(expected[2], t.vocabVariance(), 1e-4, "request " + i);
            assertEquals(r.continuation().length, t.logProbs().length);
            assertEquals(scores.get(i).logLikelihood(), java.util.Arrays.stream(t.logProbs()).sum(), 1e-9);
            assertEquals(scores.get(i).greedy(), t.greedy());
        }
    }

    /** Log p of each continuation token, and mean and variance of log p over the vocabulary, in doubles. */
    private static double[][] direct(LlamaModel model, LogLikelihood.TokenRequest r) {
        int[] all = new int[r.context().length + r.continuation().length];
        System.arraycopy(r.context(), 0, all, 0, r.context().length);
        System.arraycopy(r.continuation(), 0, all, r.context().length, r.continuation().length);
        int[] input = java.util.Arrays.copyOf(all, all.length - 1);
        float[] logits;
        int vocab;
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            Tensor out = model.forward(Batch.single(input), null);
            vocab = (int) out.size(2);
            logits = out.toFloats();
        }
        int n = r.continuation().length;
        double[][] result = new double[3][n];
        for (int j = 0; j < n; j++) {
            int p = input.length - n + j;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[p * vocab + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(logits[p * vocab + v] - max);
            }
            double logZ = max + Math.log(z);
            double mean = 0;
            double second = 0;
            for (int v = 0; v < vocab; v++) {
                double lp = logits[p * vocab + v] - logZ;
                mean += Math.exp(lp) * lp;
                second += Math.exp(lp) * lp * lp;
            }
            result[0][j] = logits[p * vocab + all[p + 1]] - logZ;
            result[1][j] = mean;
            result[2][j] = second - mean * mean;
        }
        return result;
    }
}
