package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RephraseAttackTest {

    private final McqDataset data = McqItems.of("toy", 0, 0, 2, 1, 3, 1, 0);
    private final RephraseAttack attack = new RephraseAttack();

    /** Template 0 is the question unchanged: its accuracy is the plain score; every template is scored. */
    @ParameterizedTest
    @EnumSource(McqForm.class)
    void templateZeroIsThePlainScore(McqForm form) {
        LogLikelihood scorer = new LogLikelihood(TinyModels.create(41), new ByteTokenizer(16), false, 8);
        AttackInputs inputs = AttackInputs.of(data, form);
        List<String> budgets = attack.defaultBudgets(TinyModels.config(), inputs);
        assertEquals(Rephrasing.values().length, budgets.size());
        AttackCurve curve = attack.run(scorer, inputs, budgets, b -> { });
        assertEquals(new McqEvaluator(scorer).score(data, form), curve.points().get(0).accuracy());
        for (int t = 0; t < budgets.size(); t++) {
            assertEquals(new McqEvaluator(scorer).score(RephraseAttack.rephrased(data, Rephrasing.values()[t]), form),
                    curve.points().get(t).accuracy());
            assertEquals(Rephrasing.values()[t].id(), curve.details().get("templates").get(budgets.get(t)).asText());
        }
    }

    /** [x1, y, z1, w] with answer 2 (z1): reversed [w, z1, y, x1], answer 1; rotated [y, z1, w, x1], answer 1. */
    @Test
    void reorderedChoicesMoveTheAnswerWithThem() {
        McqItem item = data.items().get(1);
        McqItem reversed = Rephrasing.REVERSED_CHOICES.apply(item);
        assertEquals(List.of("w", "z1", "y", "x1"), reversed.choices());
        assertEquals(1, reversed.answer());
        McqItem rotated = Rephrasing.ROTATED_CHOICES.apply(item);
        assertEquals(List.of("y", "z1", "w", "x1"), rotated.choices());
        assertEquals(1, rotated.answer());
    }

    /** Every template keeps the right answer's text and the set of choices, and no two ask alike. */
    @Test
    void everyTemplateKeepsTheAnswerAndDiffers() {
        for (McqItem item : data.items()) {
            Set<String> prompts = new HashSet<>();
            for (Rephrasing r : Rephrasing.values()) {
                McqItem rewritten = r.apply(item);
                assertEquals(item.choices().get(item.answer()), rewritten.choices().get(rewritten.answer()), r.id());
                assertEquals(new HashSet<>(item.choices()), new HashSet<>(rewritten.choices()), r.id());
                prompts.add(McqForm.LETTERED.prompt(rewritten).context());
            }
            assertEquals(Rephrasing.values().length, prompts.size());
        }
    }

    @Test
    void unknownTemplatesAreInputErrors() {
        AttackInputs inputs = AttackInputs.of(data, McqForm.LETTERED);
        assertThrows(InputException.class, () -> attack.check(List.of(Integer.toString(Rephrasing.values().length)),
                inputs));
        assertThrows(InputException.class, () -> attack.check(List.of("tell-me"), inputs));
    }
}
