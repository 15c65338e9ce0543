package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqPrompt;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.model.LlamaModel;
import dev.falcon.ByteTokenizer;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TinyModels;
import dev.falcon.train.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelearningAttackTest {

    private static final int B = 1;

    /**
     * Every answer is B, in the training documents and in the (different) questions scored: one
     * pattern a 2-layer model learns in a few dozen steps, so accuracy must rise to 1, while a random
     * model starts well below.
     */
    @Test
    void relearningRecoversALearnablePatternOnACopy() {
        LlamaModel model = TinyModels.create(5);
        Map<String, double[]> weightsBefore = snapshot(model);
        McqDataset heldOut = McqItems.of("toy", 0, B, B, B, B, B, B);
        List<Document> forget = McqItems.of("train", 100, B, B, B, B, B, B, B, B).items().stream()
                .map(item -> {
                    McqPrompt p = McqPrompt.lettered(item);
                    return Document.plain(p.context() + p.continuations().get(B));
                }).toList();
        TrainSettings settings = new TrainSettings(1, 20, 1e-3, 4, 0, LearningRateSchedule.Shape.CONSTANT, 128, 1,
                1.0, 0);
        RelearningAttack.Result r = new RelearningAttack(settings, 6, 10)
                .run(new LogLikelihood(model, new ByteTokenizer(16), false, 6), McqForm.LETTERED, forget, heldOut,
                        null);
        System.out.println("relearning curve: " + r.curve());
        assertEquals(List.of(0, 10, 20), r.curve().stream().map(RelearningAttack.Point::step).toList());
        assertEquals(20, r.log().steps().size());
        assertTrue(r.before() <= 0.5, "the random model should not already answer B: " + r.before());
        assertEquals(1.0, r.after(), 0.0);
        assertEquals(6, r.documents());
        Map<String, double[]> weightsAfter = snapshot(model);
        assertEquals(weightsBefore.keySet(), weightsAfter.keySet());
        weightsBefore.forEach((name, w) -> assertArrayEquals(w, weightsAfter.get(name), 0.0, name));
    }

    @Test
    void theCurveEndsAtTheLastStepEvenBetweenEvaluations() {
        LlamaModel model = TinyModels.create(6);
        TrainSettings settings = new TrainSettings(1, 3, 1e-3, 2, 0, LearningRateSchedule.Shape.CONSTANT, 64, 1,
                1.0, 0);
        RelearningAttack.Result r = new RelearningAttack(settings, 2, 2).run(
                new LogLikelihood(model, new ByteTokenizer(16), false, 4), McqForm.LETTERED,
                List.of(Document.plain("abc"), Document.plain("def"), Document.plain("unused")),
                McqItems.of("toy", 0, 0, 1), null);
        assertEquals(List.of(0, 2, 3), r.curve().stream().map(RelearningAttack.Point::step).toList());
    }

    @Test
    void tooFewDocumentsOrNoStepsAreInputErrors() {
        TrainSettings steps = new TrainSettings(1, 3, 1e-3, 2, 0, LearningRateSchedule.Shape.CONSTANT, 64, 1, 1, 0);
        RelearningAttack attack = new RelearningAttack(steps, 3, 1);
        assertThrows(InputException.class, () -> attack.trainingDocuments(List.of(Document.plain("a"))));
        assertEquals(List.of(Document.plain("a"), Document.plain("b"), Document.plain("c")), attack.trainingDocuments(
                List.of(Document.plain("a"), Document.plain("b"), Document.plain("c"), Document.plain("d"))));
        TrainSettings epochs = new TrainSettings(1, 0, 1e-3, 2, 0, LearningRateSchedule.Shape.CONSTANT, 64, 1, 1, 0);
        assertThrows(InputException.class, () -> new RelearningAttack(epochs, 3, 1));
        assertThrows(InputException.class, () -> new RelearningAttack(steps, 0, 1));
        assertThrows(InputException.class, () -> new RelearningAttack(steps, 3, 0));
    }

    private static Map<String, double[]> snapshot(LlamaModel model) {
        Map<String, double[]> out = new LinkedHashMap<>();
        model.paramNames().forEach(name -> out.put(name, model.param(name).toDoubles()));
        return out;
    }
}
