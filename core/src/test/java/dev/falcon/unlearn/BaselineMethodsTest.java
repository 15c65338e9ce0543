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
import dev.falcon.train.TrainLog;
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

    /** Tiny-model settings: batches of 4 (two forget batches), lengths 64, editing layers 0 and 1. */
    private static LikelihoodSettings likelihood(double lr, int maxBatches, int epochs, double retainWeight) {
        return LikelihoodSettings.builder().layers(List.of(0, 1)).lr(lr).maxBatches(maxBatches).epochs(epochs)
                .maxLengths(MaxLengths.all(64)).retainWeight(retainWeight).build();
    }

    /** As {@link #likelihood}, loss layer 1, alpha 1. */
    private static RmuSettings rmu(double lr, int maxBatches, int epochs, double steering) {
        return RmuSettings.builder().layer(1).layers(List.of(0, 1)).alpha(List.of(1.0))
                .steeringCoeff(List.of(steering)).lr(lr).maxBatches(maxBatches).epochs(epochs)
                .maxLengths(MaxLengths.all(64)).build();
    }

    /** A run record the methods write into; these tests read the log instead. */
    private static RunRecord record() {
        return new RunRecord(Method.GA, 0, "tiny");
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
        TrainLog log = Method.NPO.create(likelihood(1e-3, 2, 1, 0))
                .unlearn(model, downProjections(model), INPUTS, record(), null);
        assertEquals(2, log.steps().size());
        assertEquals(List.of(LikelihoodUnlearning.FORGET_LOSS), List.copyOf(log.steps().get(0).losses().keySet()),
                "retain weight 0 is plain NPO");
        assertEquals(2 / LikelihoodSettings.NPO_BETA * Math.log(2), log.steps().get(0).losses().get("forget"), 1e-4);
    }

    @Test
    void simNpoOnAModelWithAZeroHeadStartsAtTheClosedForm() {
        LlamaModel model = TinyModels.create(0);
        model.setParam(LlamaModel.LM_HEAD, Tensor.zeros(DType.F32, TinyModels.VOCAB, 32));
        TrainLog log = Method.SIM_NPO.create(likelihood(1e-3, 1, 1, 0))
                .unlearn(model, downProjections(model), INPUTS, record(), null);
        // Zero logits: every answer token has log-probability -ln 16, so the length-normalised
        // log-likelihood is -ln 16 and L = (2 / 2.5) log(1 + 16^-2.5).
        assertEquals(0.8 * Math.log1p(Math.pow(16, -2.5)), log.steps().get(0).losses().get("forget"), 1e-7);
    }

    @Test
    void gradientAscentRaisesTheForgetLossAndEditsOnlyTheChosenMatrices() {
        LlamaModel model = TinyModels.create(1);
        LlamaModel before = model.snapshot();
        double start = forgetLmLoss(model);
        TrainLog log = Method.GA.create(likelihood(1e-2, 80, 10, 1))
                .unlearn(model, downProjections(model), INPUTS, record(), null);
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
        LlamaModel before = model.snapshot();
        TrainLog log = Method.GRAD_DIFF.create(likelihood(1e-3, 1, 1, 0.5))
                .unlearn(model, downProjections(model), INPUTS, record(), null);
        LmBatch retain0 = LmBatches.consecutive(RETAIN, INPUTS.tokenizer(), 4, 64).get(0);
        assertEquals(0.5 * CausalLmLoss.loss(before, retain0).item(), log.steps().get(0).losses().get("retain"), 1e-6);
    }

    @Test
    void rmuReducesItsLossFromAnExactStart() {
        LlamaModel model = TinyModels.create(3);
        List<TrainLog.Step> steps = new ArrayList<>();
        TrainLog log = Method.RMU.create(rmu(1e-2, 100, 50, 4))
                .unlearn(model, downProjections(model), INPUTS, record(), (step, total) -> steps.add(step));
        assertEquals(100, log.steps().size());
        assertEquals(log.steps(), steps);
        TrainLog.Step first = log.steps().get(0);
        TrainLog.Step last = log.steps().get(99);
        assertEquals(0.0, first.losses().get("retain"), 0.0, "before any update the model is its frozen copy");
        System.out.printf("RMU: forget %.4f -> %.4f, retain %.4f -> %.4f%n", first.losses().get("forget"),
                last.losses().get("forget"), first.losses().get("retain"), last.losses().get("retain"));
        // The forget term starts near c^2 / D = 16 / 32 (activations of a random model are small).
        assertEquals(0.5, first.losses().get("forget"), 0.1);
        assertTrue(last.losses().get("forget") + last.losses().get("retain") < 0.5 * first.losses().get("forget"));
    }

    @Test
    void rmuRefusesEditsAboveItsLayer() {
        InputException e = assertThrows(InputException.class,
                () -> RmuSettings.builder().layer(0).layers(List.of(0, 1)).build());
        assertEquals("edited layer 1 is above the loss layer 0: its weights cannot change the activations RMU "
                + "compares", e.getMessage());
    }

    @Test
    void methodsAreChosenByName() {
        assertEquals(List.of("falcon", "rmu", "ga", "graddiff", "npo", "simnpo"), Method.labels());
        for (Method m : Method.values()) {
            assertEquals(m, Method.parse(m.label().toUpperCase()));
            assertEquals(m, m.create(m.defaults()).method());
        }
        assertInstanceOf(Falcon.class, Method.FALCON.create(FalconSettings.official()));
        assertInstanceOf(Rmu.class, Method.RMU.create(RmuSettings.official()));
        assertInstanceOf(LikelihoodUnlearning.class, Method.NPO.create(LikelihoodSettings.paperDefaults()));
        assertThrows(IllegalArgumentException.class, () -> Method.FALCON.create(RmuSettings.official()));
        InputException e = assertThrows(InputException.class, () -> Method.parse("dpo"));
        assertEquals("unknown method 'dpo'; expected one of falcon, rmu, ga, graddiff, npo, simnpo", e.getMessage());
    }
}
