package dev.falcon.train;

import dev.falcon.ByteTokenizer;
import dev.falcon.data.Document;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CausalLmLossTest {

    private static final double LN_V = Math.log(TinyModels.VOCAB);

    @Test
    void uniformLogitsCostLnVPerCountedToken() {
        // Row 0 is plain text: 3 targets after BOS. Row 1 is a question/answer pair whose answer starts
        // at position 4: 2 targets (positions 4 and 5); its row is the wider one, so row 0 has 2 pads.
        LmBatch b = LmBatches.batch(List.of(new LmBatches.Sequence(new int[] {1, 5, 6, 7}, 1),
                new LmBatches.Sequence(new int[] {1, 8, 9, 10, 11, 12}, 4)), 0);
        Tensor logits = Tensor.zeros(DType.F32, 2, 6, TinyModels.VOCAB);
        assertEquals(LN_V, CausalLmLoss.mean(logits, b).item(), 1e-6);
        assertArrayEquals(new float[] {3, 2}, CausalLmLoss.targetCounts(b).toFloats());
        assertArrayEquals(new double[] {-3 * LN_V, -2 * LN_V}, CausalLmLoss.sequenceLogLikelihood(logits, b).toDoubles(),
                1e-5);
        assertArrayEquals(new double[] {-LN_V, -LN_V}, CausalLmLoss.sequenceMeanLogLikelihood(logits, b).toDoubles(),
                1e-6);
    }

    @Test
    void onlyCountedTokensEnterTheMean() {
        // V = 4. Sequence [1, 3, 2] with both tokens counted. At position 0 the logits are
        // [0, 0, 0, ln 3], so p(3) = 3 / (1 + 1 + 1 + 3) = 1/2; at position 1 they are [ln 5, 0, 0, 0]
        // over the target 2: p(2) = 1 / 8. Mean cross-entropy (ln 2 + ln 8) / 2 = 2 ln 2.
        // A second row whose only target is BOS's successor outside its answer (firstTarget = 3 =
        // its length) counts nothing, whatever its logits.
        LmBatch b = LmBatches.batch(List.of(new LmBatches.Sequence(new int[] {1, 3, 2}, 1),
                new LmBatches.Sequence(new int[] {1, 0, 0}, 3)), 0);
        float ln3 = (float) Math.log(3);
        float ln5 = (float) Math.log(5);
        Tensor logits = Tensor.of(new float[] {
            0, 0, 0, ln3, ln5, 0, 0, 0, 7, 7, 7, 7,
            9, -9, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2, 3, 4);
        assertEquals(2 * Math.log(2), CausalLmLoss.mean(logits, b).item(), 1e-6);
        assertArrayEquals(new double[] {-4 * Math.log(2), 0}, CausalLmLoss.sequenceLogLikelihood(logits, b).toDoubles(),
                1e-6);
        assertArrayEquals(new double[] {-2 * Math.log(2), 0},
                CausalLmLoss.sequenceMeanLogLikelihood(logits, b).toDoubles(), 1e-6);
    }

    @Test
    void questionAnswerDocumentsCountOnlyAnswerTokens() {
        // ByteTokenizer(16): BOS + one token per (ASCII) character. "Question: ab\nAnswer:" has 20 characters and
        // " cd" 3, so the answer occupies positions 21..23 of 24.
        Document qa = Document.questionAnswer("ab", "cd");
        ByteTokenizer tok = new ByteTokenizer(16);
        LmBatches.Sequence s = LmBatches.encode(qa, tok, 256);
        assertEquals(24, s.ids().length);
        assertEquals(21, s.firstTarget());
        float[] mask = LmBatches.batch(List.of(s), 0).lossMask().toFloats();
        float[] expected = new float[24];
        java.util.Arrays.fill(expected, 21, 24, 1f);
        assertArrayEquals(expected, mask);
        assertEquals(1, LmBatches.encode(qa, tok, 22).targets(), "truncation keeps one answer token");
        assertEquals(0, LmBatches.encode(qa, tok, 21).targets(), "truncation cut the whole answer");
        assertEquals(6, LmBatches.encode(Document.plain("abcdef"), tok, 256).targets(), "plain text: all after BOS");
    }

    @Test
    void aModelWithAZeroHeadCostsLnVPerToken() {
        LlamaModel model = TinyModels.create(3);
        model.setParam(LlamaModel.LM_HEAD, Tensor.zeros(DType.F32, TinyModels.VOCAB, 32));
        LmBatch b = LmBatches.consecutive(List.of(Document.plain("hello"), Document.questionAnswer("x", "yz")),
                new ByteTokenizer(16), 2, 64).get(0);
        assertEquals(LN_V, CausalLmLoss.loss(model, b).item(), 1e-6);
    }
}
