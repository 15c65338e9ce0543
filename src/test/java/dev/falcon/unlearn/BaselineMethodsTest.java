package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.CausalLmLoss;
import dev.falcon.ByteTokenizer;
import dev.falcon.train.LmBatch;
import dev.falcon.train.LmBatches;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineMethodsTest {

    private static final List<Document> FORGET = List.of(Document.questionAnswer("who made it", "Ann Lee"),
            Document.questionAnswer("where", "in the old mill"), Document.plain("the mill burned in spring"),
            Document.questionAnswer("when", "at dawn"), Document.plain("Ann kept the recipe"),
            Document.questionAnswer("why", "for the king"), Document.plain("a red stone"),
            Document.questionAnswer("how", "slowly"));
    private static final List<Document> RETAIN = List.of(Document.plain("cats sleep a lot"),
            Document.plain("rivers run to the sea"), Document.plain("bread needs yeast"),
            Document.plain("snow is cold"), Document.plain("birds sing"), Document.plain("tea is hot"),
            Document.plain("the sun rises"), Document.plain("ships float"));
    private static final UnlearnInputs INPUTS = new UnlearnInputs(List.of(FORGET), List.of(RETAIN),
            new ByteTokenizer(16));

    /** Tiny-model settings: batches of 4 (two forget batches), lengths 64, loss layer 1. */
    private static BaselineSettings settings(double lr, int maxBatches, int epochs, double steering,
                                             double retainWeight) {
        return new BaselineSettings(lr, 4, maxBatches, epochs, List.of(64), 42, true, 1, List.of(1.0),
                List.of(steering), BaselineSettings.NPO_BETA, BaselineSettings.SIMNPO_BETA,
                BaselineSettings.SIMNPO_GAMMA, 1.0, retainWeight);
    }

    private static EditedParameters downProjections(LlamaModel model) {
        return EditedParameters.select(model, List.of(0, 1), List.of("mlp.down_proj"));
    }

    private static double forgetLmLoss(LlamaModel model) {
        try (Engine.Guard g = Engine.noGrad()) {
            double sum = 0;
            List<LmBatch> batches = LmBatches.consecutive(FORGET, INPUTS.tokenizer(), 4, 64);
            for (LmBatch b : batches) {
                sum += CausalLmLoss.loss(model, b).item();
            }
            return sum / batches.size();
        }
    }

    @Test
    void npoStartsAtTwoOverBetaLn2() {
        LlamaModel model = TinyModels.create(0);
        TrainingLog log = UnlearningMethods.create("npo", settings(1e-3, 2, 1, 1, 0))
                .unlearn(model, downProjections(model), INPUTS, null);
        assertEquals(2, log.steps().size());
        assertEquals(List.of(LikelihoodUnlearning.FORGET_LOSS), List.copyOf(log.steps().get(0).losses().keySet()),
                "retain weight 0 is plain NPO");
        assertEquals(2 / BaselineSettings.NPO_BETA * Math.log(2), log.steps().get(0).losses().get("forget"), 1e-4);
    }

    @Test
    void simNpoOnAModelWithAZeroHeadStartsAtTheClosedForm() {
        LlamaModel model = TinyModels.create(0);
        model.setParam(LlamaModel.LM_HEAD, Tensor.zeros(DType.F32, TinyModels.VOCAB, 32));
        TrainingLog log = UnlearningMethods.create("simnpo", settings(1e-3, 1, 1, 1, 0))
                .unlearn(model, downProjections(model), INPUTS, null);
        // Zero logits: every answer token has log-probability -ln 16, so the length-normalised
        // log-likelihood is -ln 16 and L = (2 / 2.5) log(1 + 16^-2.5).
        assertEquals(0.8 * Math.log1p(Math.pow(16, -2.5)), log.steps().get(0).losses().get("forget"), 1e-7);
    }

    @Test
    void gradientAscentRaisesTheForgetLossAndEditsOnlyTheChosenMatrices() {
        LlamaModel model = TinyModels.create(1);
        LlamaModel before = model.copy();
        double start = forgetLmLoss(model);
        TrainingLog log = UnlearningMethods.create("ga", settings(1e-2, 80, 10, 1, 1))
                .unlearn(model, downProjections(model), INPUTS, null);
        assertNull(log.stoppedEarly());
        assertEquals(20, log.steps().size(), "10 epochs of 2 forget batches");
        assertEquals(List.of("forget"), List.copyOf(log.steps().get(0).losses().keySet()), "GA ignores retain data");
        double firstBatch = CausalLmLoss.loss(before, LmBatches.consecutive(FORGET, INPUTS.tokenizer(), 4, 64).get(0))
                .item();
        assertEquals(-firstBatch, log.steps().get(0).losses().get("forget"), 1e-5, "step 0 is -CE of batch 0");
        double end = forgetLmLoss(model);
        System.out.printf("GA: forget LM loss %.4f -> %.4f%n", start, end);
        // The head of a random model (std 0.02) after RMSNorm caps how far logits can move, so the loss
        // rises by tenths, not by units.
        assertTrue(end > start + 0.1, start + " -> " + end);
        List<String> edited = downProjections(model).names();
        for (String name : model.paramNames()) {
            if (!edited.contains(name)) {
                assertArrayEquals(before.param(name).toFloats(), model.param(name).toFloats(), name);
            }
        }
    }

    @Test
    void gradDiffAddsTheRetainLmLoss() {
        LlamaModel model = TinyModels.create(2);
        LlamaModel before = model.copy();
        TrainingLog log = UnlearningMethods.create("graddiff", settings(1e-3, 1, 1, 1, 0.5))
                .unlearn(model, downProjections(model), INPUTS, null);
        LmBatch retain0 = LmBatches.consecutive(RETAIN, INPUTS.tokenizer(), 4, 64).get(0);
        assertEquals(0.5 * CausalLmLoss.loss(before, retain0).item(), log.steps().get(0).losses().get("retain"), 1e-6);
    }

    @Test
    void rmuReducesItsLossFromAnExactStart() {
        LlamaModel model = TinyModels.create(3);
        List<TrainingLog.Step> steps = new ArrayList<>();
        TrainingLog log = UnlearningMethods.create("rmu", settings(1e-2, 100, 50, 4, 1))
                .unlearn(model, downProjections(model), INPUTS, (step, total) -> steps.add(step));
        assertEquals(100, log.steps().size());
        assertEquals(log.steps(), steps);
        TrainingLog.Step first = log.steps().get(0);
        TrainingLog.Step last = log.steps().get(99);
        assertEquals(0.0, first.losses().get("retain"), 0.0, "before any update the model is its frozen copy");
        System.out.printf("RMU: forget %.4f -> %.4f, retain %.4f -> %.4f%n", first.losses().get("forget"),
                last.losses().get("forget"), first.losses().get("retain"), last.losses().get("retain"));
        // The forget term starts near c^2 / D = 16 / 32 (activations of a random model are small).
        assertEquals(0.5, first.losses().get("forget"), 0.1);
        assertTrue(last.losses().get("forget") + last.losses().get("retain") < 0.5 * first.losses().get("forget"));
    }

    @Test
    void rmuRefusesEditsAboveItsLayer() {
        LlamaModel model = TinyModels.create(0);
        BaselineSettings layer0 = new BaselineSettings(1e-3, 4, 2, 1, List.of(64), 42, true, 0, List.of(1.0),
                List.of(1.0), 0.1, 2.5, 0, 1, 1);
        InputException e = assertThrows(InputException.class,
                () -> new Rmu(layer0).unlearn(model, downProjections(model), INPUTS, null));
        assertEquals("edited layer 1 is above the loss layer 0: its weights cannot change the activations RMU "
                + "compares", e.getMessage());
    }

    @Test
    void methodsAreChosenByName() {
        assertEquals(List.of("falcon", "rmu", "ga", "graddiff", "npo", "simnpo"), UnlearningMethods.NAMES);
        BaselineSettings s = BaselineSettings.defaults();
        for (String name : UnlearningMethods.NAMES) {
            assertEquals(name, UnlearningMethods.create(name.toUpperCase(), FalconSettings.official(), s).name());
        }
        assertInstanceOf(Falcon.class, UnlearningMethods.create("falcon", FalconSettings.official(), s));
        assertInstanceOf(Rmu.class, UnlearningMethods.create("rmu", s));
        assertThrows(IllegalArgumentException.class, () -> UnlearningMethods.create("falcon", s));
        InputException e = assertThrows(InputException.class, () -> UnlearningMethods.check("dpo"));
        assertEquals("unknown method 'dpo'; expected one of falcon, rmu, ga, graddiff, npo, simnpo", e.getMessage());
    }
}
