package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqPrompt;
import dev.falcon.engine.Rng;
import dev.falcon.engine.DType;
import dev.falcon.engine.Tensor;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The known case: an original model whose residual stream never has a component along coordinate j
 * (nothing writes to it: its embedding column and the rows of every o_proj and down_proj are zero), and
 * an "unlearned" copy whose first block's down_proj writes to j (and, for the rank-2 case, to a second
 * coordinate). Removing those coordinates from the unlearned model's stream gives back the original's
 * computation, so direction-ablation must restore the original's log-likelihoods.
 */
class DirectionAblationTest {

    private static final int J = 5;
    private static final int J2 = 17;
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer(16);
    private static final McqDataset QUESTIONS = McqItems.of("toy", 0, 0, 1, 2, 3, 1, 2, 0, 3, 2, 1);
    private static final List<Document> FORGET = McqItems.of("forget", 50, 3, 2, 1, 0, 1, 3).items().stream()
            .map(item -> {
                McqPrompt p = McqPrompt.lettered(item);
                return Document.plain(p.context() + p.continuations().get(item.answer()));
            }).toList();

    private final LlamaModel original = blindTo(TinyModels.create(3), J, J2);

    @Test
    void ablatingTheOneEditedDirectionRestoresTheOriginal() {
        LlamaModel unlearned = writing(original, J);
        DirectionAblation attack = new DirectionAblation(DirectionAblationSettings.defaults());
        DirectionAblation.Directions d = attack.find(original, unlearned, TOKENIZER, FORGET, 1);
        // the embeddings are the same, block 0 adds the shift, and once it is ablated nothing is left above
        assertEquals(List.of(0, 1, 0), counts(d));
        double[] direction = d.byPoint().get(1).toDoubles();
        assertEquals(1.0, Math.abs(direction[J]), 1e-6, "the found direction is the edited coordinate");

        double[] before = lls(scorer(original));
        double[] edited = lls(scorer(unlearned));
        double[] restored = lls(scorer(unlearned).withReadout(DirectionAblation.readout(d)));
        // measured: the edit moves a log-likelihood by up to 14.7 nats; ablation brings every one back
        // exactly (0.0 here; the bound leaves room for float32 rounding in another summation order)
        assertTrue(maxDifference(before, edited) > 1, "the edit must matter: " + maxDifference(before, edited));
        assertTrue(maxDifference(before, restored) < 1e-4, "restored: " + maxDifference(before, restored));

        AttackInputs inputs = new AttackInputs(QUESTIONS, McqForm.LETTERED, FORGET, List.of(), null, original);
        List<Accuracy> curve = attack.run(scorer(unlearned), inputs, List.of("0", "1"), b -> { }).points().stream()
                .map(AttackCurve.Point::accuracy).toList();
        assertEquals(new McqEvaluator(scorer(unlearned)).score(QUESTIONS, McqForm.LETTERED), curve.get(0));
        assertEquals(new McqEvaluator(scorer(original)).score(QUESTIONS, McqForm.LETTERED), curve.get(1));
        assertThrows(InputException.class, () -> attack.run(scorer(unlearned), inputs.withOriginal(null), List.of("1"),
                b -> { }));
        assertThrows(InputException.class, () -> attack.check(List.of("1"), AttackInputs.of(QUESTIONS,
                McqForm.LETTERED)));
    }

    /**
     * An edit writing to two coordinates with different weights per token is not one direction: the mean
     * difference alone leaves part of it, and the second (principal) direction removes the rest.
     */
    @Test
    void aSecondDirectionUndoesARankTwoEdit() {
        LlamaModel unlearned = writing(original, J, J2);
        DirectionAblation attack = new DirectionAblation(DirectionAblationSettings.defaults());
        DirectionAblation.Directions one = attack.find(original, unlearned, TOKENIZER, FORGET, 1);
        DirectionAblation.Directions two = attack.find(original, unlearned, TOKENIZER, FORGET, 2);
        assertEquals(1, one.count(1));
        assertEquals(List.of(0, 2, 0), counts(two));
        double[] q = two.byPoint().get(1).toDoubles();
        int dim = TinyModels.config().hiddenSize();
        for (int r = 0; r < 2; r++) {
            double inSpan = q[r * dim + J] * q[r * dim + J] + q[r * dim + J2] * q[r * dim + J2];
            assertEquals(1.0, inSpan, 1e-6, "direction " + r + " lies in the edited plane");
        }
        double[] before = lls(scorer(original));
        double oneLeft = maxDifference(before, lls(scorer(unlearned).withReadout(DirectionAblation.readout(one))));
        double twoLeft = maxDifference(before, lls(scorer(unlearned).withReadout(DirectionAblation.readout(two))));
        // measured: 14.0 nats left with one direction, 6e-6 with two
        assertTrue(oneLeft > 1, "one direction leaves part of a rank-2 edit: " + oneLeft);
        assertTrue(twoLeft < 1e-4, "two directions restore it: " + twoLeft);
    }

    @Test
    void identicalModelsGiveNoDirectionAndThePlainScore() {
        DirectionAblation attack = new DirectionAblation(DirectionAblationSettings.defaults());
        DirectionAblation.Directions d = attack.find(original, original.snapshot(), TOKENIZER, FORGET, 4);
        assertEquals(List.of(0, 0, 0), counts(d));
        assertEquals(0.0, maxDifference(lls(scorer(original)),
                lls(scorer(original).withReadout(DirectionAblation.readout(d)))), 1e-9);
    }

    @Test
    void noForgetTextIsAnInputError() {
        DirectionAblation attack = new DirectionAblation(DirectionAblationSettings.defaults());
        assertThrows(InputException.class, () -> attack.find(original, original, TOKENIZER, List.of(), 1));
        assertThrows(InputException.class, () -> new DirectionAblationSettings(0, 256, 8, 1e-4));
        assertThrows(InputException.class, () -> new DirectionAblationSettings(8, 256, 8, 1.5));
    }

    private static List<Integer> counts(DirectionAblation.Directions d) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < d.byPoint().size(); p++) {
            out.add(d.count(p));
        }
        return out;
    }

    private static LogLikelihood scorer(LlamaModel model) {
        return new LogLikelihood(model, TOKENIZER, false, 4);
    }

    /** Every choice's log-likelihood on the questions, lettered form. */
    private static double[] lls(LogLikelihood scorer) {
        List<LogLikelihood.Request> requests = new ArrayList<>();
        QUESTIONS.items().forEach(item -> {
            McqPrompt p = McqPrompt.lettered(item);
            p.continuations().forEach(c -> requests.add(new LogLikelihood.Request(p.context(), c)));
        });
        return scorer.score(requests).stream().mapToDouble(LogLikelihood.Score::logLikelihood).toArray();
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /**
     * {@code model} with nothing ever written to the given coordinates of the stream, and a head 50 times
     * larger (logits of order 1, so that log-likelihoods respond to the stream).
     */
    private static LlamaModel blindTo(LlamaModel model, int... coordinates) {
        LlamaModel out = model.snapshot();
        out.setParam(LlamaModel.LM_HEAD, out.param(LlamaModel.LM_HEAD).mul(50));
        for (int j : coordinates) {
            setColumn(out, LlamaModel.EMBED, j, 0f);
            for (int l = 0; l < out.config().numLayers(); l++) {
                setRow(out, LlamaModel.layerParam(l, "self_attn.o_proj.weight"), j, null);
                setRow(out, LlamaModel.layerParam(l, "mlp.down_proj.weight"), j, null);
            }
        }
        return out;
    }

    /** A copy of {@code original} whose block 0 writes a random combination of its MLP units to each coordinate. */
    private static LlamaModel writing(LlamaModel original, int... coordinates) {
        LlamaModel out = original.snapshot();
        String down = LlamaModel.layerParam(0, "mlp.down_proj.weight");
        Rng rng = new Rng(9);
        for (int j : coordinates) {
            long units = out.param(down).size(1);
            setRow(out, down, j, Tensor.randn(rng, DType.F32, units).mul(10).toFloats());
        }
        return out;
    }

    /** Sets row {@code row} of a 2-d parameter to {@code values} (zeros when null). */
    private static void setRow(LlamaModel model, String name, int row, float[] values) {
        Tensor w = model.param(name);
        long[] shape = w.shape();
        float[] data = w.toFloats();
        for (int c = 0; c < shape[1]; c++) {
            data[(int) (row * shape[1] + c)] = values == null ? 0f : values[c];
        }
        model.setParam(name, Tensor.of(data, shape));
    }

    private static void setColumn(LlamaModel model, String name, int column, float value) {
        Tensor w = model.param(name);
        long[] shape = w.shape();
        float[] data = w.toFloats();
        for (int r = 0; r < shape[0]; r++) {
            data[(int) (r * shape[1] + column)] = value;
        }
        model.setParam(name, Tensor.of(data, shape));
    }
}
