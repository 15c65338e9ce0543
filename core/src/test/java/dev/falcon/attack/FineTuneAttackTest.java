package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqPrompt;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FineTuneAttackTest {

    private static final int B = 1;
    private static final FineTuneSettings SETTINGS = new FineTuneSettings(1e-3, 4, 128, 1);

    private final McqDataset questions = McqItems.of("toy", 0, B, B, B, B, B, B);
    /** Solved questions whose answer is always B: text a tiny model learns the pattern from. */
    private final List<Document> answeredB = McqItems.of("train", 100, B, B, B, B, B, B, B, B).items().stream()
            .map(item -> {
                McqPrompt p = McqPrompt.lettered(item);
                return Document.plain(p.context() + p.continuations().get(B));
            }).toList();

    /**
     * relearn at budgets 6x0, 6x10, 6x20 is the curve the relearning attack measured before budgets, with
     * the same training (6 documents, 20 steps, measured every 10), point for point.
     */
    @Test
    void relearnBudgetsReproduceTheRelearningCurve() {
        LlamaModel model = TinyModels.create(5);
        LogLikelihood scorer = new LogLikelihood(model, new ByteTokenizer(16), false, 6);
        RelearningAttack.Result before = new RelearningAttack(SETTINGS.training(20), 6, 10)
                .run(scorer, McqForm.LETTERED, answeredB, questions, null);
        AttackInputs inputs = new AttackInputs(questions, McqForm.LETTERED, answeredB, List.of(), null);
        AttackCurve curve = new FineTuneAttack(FineTuneAttack.Corpus.FORGET, SETTINGS)
                .run(scorer, inputs, List.of("6x0", "6x10", "6x20"), b -> { });
        assertEquals(before.curve().stream().map(RelearningAttack.Point::accuracy).toList(),
                curve.points().stream().map(p -> p.accuracy().value()).toList());
        assertEquals(1.0, curve.points().get(2).accuracy().value(), 0.0, "the pattern is learned");
        assertEquals(20, curve.details().get("runs_by_documents").get("6").get("train_loss").size());
    }

    /**
     * finetune-unrelated trains on the retain text only: with the B-answered text as retain text and
     * nothing as forget text it measures what relearn measures on it as forget text.
     */
    @Test
    void unrelatedFineTuningTrainsOnTheRetainText() {
        LogLikelihood scorer = new LogLikelihood(TinyModels.create(5), new ByteTokenizer(16), false, 6);
        List<String> budgets = List.of("4x0", "4x5", "8x5");
        AttackCurve relearn = new FineTuneAttack(FineTuneAttack.Corpus.FORGET, SETTINGS).run(scorer,
                new AttackInputs(questions, McqForm.LETTERED, answeredB, List.of(), null), budgets, b -> { });
        AttackInputs retainOnly = new AttackInputs(questions, McqForm.LETTERED, List.of(), answeredB, null);
        FineTuneAttack unrelated = new FineTuneAttack(FineTuneAttack.Corpus.RETAIN, SETTINGS);
        assertEquals(relearn.points(), unrelated.run(scorer, retainOnly, budgets, b -> { }).points());
        assertEquals(new McqEvaluator(scorer).score(questions, McqForm.LETTERED), relearn.points().get(0).accuracy());
        assertThrows(InputException.class, () -> new FineTuneAttack(FineTuneAttack.Corpus.FORGET, SETTINGS)
                .check(budgets, retainOnly));
    }

    /** Defaults: 0, 10, 25, 50 steps on 10 and 50 documents, capped at the documents there are. */
    @Test
    void defaultBudgetsAreCappedAtTheText() {
        FineTuneAttack attack = new FineTuneAttack(FineTuneAttack.Corpus.RETAIN, SETTINGS);
        AttackInputs inputs = new AttackInputs(questions, McqForm.LETTERED, List.of(), answeredB, null);
        assertEquals(List.of("8x0", "8x10", "8x25", "8x50"), attack.defaultBudgets(TinyModels.config(), inputs));
        attack.check(attack.defaultBudgets(TinyModels.config(), inputs), inputs);
    }

    @Test
    void malformedBudgetsAreInputErrors() {
        FineTuneAttack attack = new FineTuneAttack(FineTuneAttack.Corpus.FORGET, SETTINGS);
        AttackInputs inputs = new AttackInputs(questions, McqForm.LETTERED, answeredB, List.of(), null);
        for (String bad : List.of("10", "0x5", "2x-1", "ax5", "2x5x1", "9x1")) {
            assertThrows(InputException.class, () -> attack.check(List.of(bad), inputs), bad);
        }
        assertThrows(InputException.class, () -> new FineTuneAttack(FineTuneAttack.Corpus.FORGET,
                new FineTuneSettings(0, 4, 128, 1)).check(List.of("2x1"), inputs));
    }
}
