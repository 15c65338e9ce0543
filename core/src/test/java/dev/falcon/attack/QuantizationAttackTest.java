package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.attack.WeightQuantization.Format;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.engine.Tensor;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationAttackTest {

    private final McqDataset data = McqItems.of("toy", 0, 0, 2, 1, 3, 1, 0, 2, 3);
    private final QuantizationAttack attack = new QuantizationAttack(QuantizeSettings.defaults());

    /** The copy has every projection quantized, everything else as it was, and the model is untouched. */
    @Test
    void quantizesTheProjectionsOfACopyOnly() {
        LlamaModel model = TinyModels.create(21);
        Map<String, float[]> before = snapshot(model);
        LlamaModel q = attack.quantized(model, Format.INT4);
        before.forEach((name, w) -> assertArrayEquals(w, model.param(name).toFloats(), name));
        List<String> linear = QuantizationAttack.linearWeights(model);
        assertEquals(7 * model.config().numLayers(), linear.size());
        for (String name : model.paramNames()) {
            long[] shape = model.param(name).shape();
            float[] expected = linear.contains(name) ? WeightQuantization.roundTrip(before.get(name), (int) shape[0],
                    (int) shape[1], Format.INT4, QuantizeSettings.defaults()) : before.get(name);
            assertArrayEquals(expected, q.param(name).toFloats(), name);
        }
    }

    /**
     * int8 moves each weight by at most 1/254 of its row's absmax, int4 by up to 1/14 of its group's: the
     * forget questions' log-likelihoods move accordingly, by under 0.01 nats on average at 8 bits and
     * several times more at 4.
     */
    @Test
    void int8BarelyMovesTheLogLikelihoodsAndInt4MovesThemMore() {
        LlamaModel model = TinyModels.create(22);
        LogLikelihood scorer = scorer(model);
        List<Double> plain = logLikelihoods(scorer);
        double int8 = meanAbsoluteChange(plain, logLikelihoods(scorer.withModel(attack.quantized(model, Format.INT8))));
        double int4 = meanAbsoluteChange(plain, logLikelihoods(scorer.withModel(attack.quantized(model, Format.INT4))));
        System.out.printf("mean |change| of log-likelihood: int8 %.6f, int4 %.6f%n", int8, int4);
        assertTrue(int8 > 0 && int8 < 0.01, "int8: " + int8);
        assertTrue(int4 > 3 * int8, "int4 " + int4 + " vs int8 " + int8);
    }

    /**
     * The known case: an "unlearned" model whose every projection weight moved by 0.4 of a 4-bit step
     * towards zero from a model already on the 4-bit grid (each group's largest weight kept, so the steps stay
     * the same) is rounded back onto the original exactly, and scores as the original does.
     */
    @Test
    void anEditSmallerThanHalfAFourBitStepIsUndoneExactly() {
        LlamaModel original = attack.quantized(TinyModels.create(23), Format.INT4);
        LlamaModel unlearned = original.snapshot();
        for (String name : QuantizationAttack.linearWeights(original)) {
            Tensor w = original.param(name);
            unlearned.setParam(name, Tensor.of(nudged(w.toFloats(), (int) w.size(1)), w.shape()));
        }
        LogLikelihood scorer = scorer(original);
        assertTrue(meanAbsoluteChange(logLikelihoods(scorer), logLikelihoods(scorer.withModel(unlearned))) > 1e-4,
                "the edit must change the model");
        LlamaModel restored = attack.quantized(unlearned, Format.INT4);
        for (String name : original.paramNames()) {
            assertArrayEquals(original.param(name).toFloats(), restored.param(name).toFloats(), name);
        }
        AttackCurve curve = attack.run(scorer.withModel(unlearned), AttackInputs.of(data, McqForm.LETTERED),
                List.of("full", "4-int"), b -> { });
        assertEquals(new McqEvaluator(scorer).score(data, McqForm.LETTERED), curve.points().get(1).accuracy());
        assertEquals(new McqEvaluator(scorer.withModel(unlearned)).score(data, McqForm.LETTERED),
                curve.points().get(0).accuracy());
    }

    @Test
    void budgetsAreTheFormatsAndFull() {
        assertEquals(List.of("full", "8", "4-int", "4-nf4"), attack.defaultBudgets(TinyModels.config(),
                AttackInputs.of(data, McqForm.LETTERED)));
        AttackInputs inputs = AttackInputs.of(data, McqForm.LETTERED);
        assertThrows(dev.falcon.InputException.class, () -> attack.check(List.of("4"), inputs));
        assertThrows(dev.falcon.InputException.class, () -> attack.check(List.of("8", "8"), inputs));
        assertThrows(dev.falcon.InputException.class, () -> attack.check(List.of(), inputs));
    }

    /** Each group's non-largest weights moved 0.4 of a step (absmax / 7) towards zero, or up from zero. */
    private static float[] nudged(float[] w, int columns) {
        float[] out = w.clone();
        int group = Math.min(columns, QuantizeSettings.GPTQ_GROUP_SIZE);
        for (int from = 0; from < w.length; from += group) {
            double absmax = WeightQuantization.absmax(w, from, from + group);
            int largest = from;
            for (int i = from; i < from + group; i++) {
                largest = Math.abs(w[i]) == absmax ? i : largest;
            }
            for (int i = from; i < from + group; i++) {
                if (i != largest) {
                    out[i] = (float) (w[i] - Math.signum(w[i] == 0 ? -1 : w[i]) * 0.4 * absmax / 7);
                }
            }
        }
        return out;
    }

    private static LogLikelihood scorer(LlamaModel model) {
        return new LogLikelihood(model, new ByteTokenizer(16), false, 8);
    }

    private List<Double> logLikelihoods(LogLikelihood scorer) {
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (McqItem item : data.items()) {
            McqPrompt p = McqPrompt.lettered(item);
            p.continuations().forEach(c -> requests.add(new LogLikelihood.Request(p.context(), c)));
        }
        return scorer.score(requests).stream().map(LogLikelihood.Score::logLikelihood).toList();
    }

    private static double meanAbsoluteChange(List<Double> a, List<Double> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += Math.abs(a.get(i) - b.get(i));
        }
        return sum / a.size();
    }

    private static Map<String, float[]> snapshot(LlamaModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.paramNames().forEach(name -> out.put(name, model.param(name).toFloats()));
        return out;
    }
}
