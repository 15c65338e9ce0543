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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FewShotAttackTest {

    private final McqDataset data = McqItems.of("toy", 0, 0, 2, 1, 3, 1, 0, 2, 3, 1, 2);
    private final FewShotAttack attack = new FewShotAttack(FewShotSettings.defaults());

    /** k = 0 asks exactly the plain question, so its accuracy is the plain score of the same questions. */
    @ParameterizedTest
    @EnumSource(McqForm.class)
    void zeroShotIsThePlainScore(McqForm form) {
        LogLikelihood scorer = new LogLikelihood(TinyModels.create(31), new ByteTokenizer(16), false, 8);
        AttackInputs inputs = AttackInputs.of(data, form);
        FewShotAttack.Split split = attack.split(inputs);
        split.scored().items().forEach(item -> assertEquals(form.prompt(item),
                attack.prompt(form, split.pool(), item, 0)));
        AttackCurve curve = attack.run(scorer, inputs, List.of("0", "1", "3", "5"), b -> { });
        assertEquals(new McqEvaluator(scorer).score(split.scored(), form), curve.points().get(0).accuracy());
        assertEquals(data.items().size() - FewShotSettings.MMLU_DEV_SIZE, curve.points().get(0).accuracy().total());
    }

    /** lm-eval's k-shot layout: the description once, each example answered, a blank line after each. */
    @Test
    void examplesFollowTheDescriptionOnceWithTheirAnswers() {
        McqDataset shots = McqItems.of("shots", 100, 2);
        McqItem scored = data.items().get(1);
        String expected = "The following are multiple choice questions (with answers) about toy.\n\n"
                + "q100?\nA. x0\nB. y\nC. z0\nD. w\nAnswer: C\n\n"
                + "q1?\nA. x1\nB. y\nC. z1\nD. w\nAnswer:";
        assertEquals(expected, attack.prompt(McqForm.LETTERED, shots.items(), scored, 1).context());
        String cloze = "The following are questions (with answers) about toy.\n\n"
                + "Question: q100?\nAnswer: z0\n\n"
                + "Question: q1?\nAnswer:";
        assertEquals(cloze, attack.prompt(McqForm.CLOZE, shots.items(), scored, 1).context());
    }

    /** The held-out pool and the scored questions split the set, the same way every time. */
    @Test
    void heldOutExamplesAreNeverScored() {
        AttackInputs inputs = AttackInputs.of(data, McqForm.LETTERED);
        FewShotAttack.Split split = attack.split(inputs);
        assertEquals(FewShotSettings.MMLU_DEV_SIZE, split.pool().size());
        Set<McqItem> all = new HashSet<>(split.pool());
        split.scored().items().forEach(item -> assertTrue(all.add(item), "scored and shown: " + item));
        assertEquals(new HashSet<>(data.items()), all);
        assertEquals(split, attack.split(inputs));
        assertNotEquals(split.pool(), new FewShotAttack(new FewShotSettings(7, 5)).split(inputs).pool(),
                "another seed draws another pool");
    }

    /** Given solved questions, every scored question is scored, and its examples grow by appending. */
    @Test
    void smallerBudgetsShowTheFirstExamplesOfLargerOnes() {
        McqDataset shots = McqItems.of("shots", 100, 0, 1, 2, 3, 0, 1);
        AttackInputs inputs = new AttackInputs(data, McqForm.LETTERED, List.of(), List.of(), shots);
        assertEquals(data, attack.split(inputs).scored());
        Set<List<McqItem>> orders = new HashSet<>();
        for (McqItem item : data.items()) {
            List<McqItem> five = attack.examples(shots.items(), item, 5);
            assertEquals(five.subList(0, 3), attack.examples(shots.items(), item, 3));
            assertEquals(5, new HashSet<>(five).size());
            orders.add(five);
        }
        assertTrue(orders.size() > 1, "each question draws its own examples");
    }

    @Test
    void moreExamplesThanThePoolOrNoQuestionLeftAreInputErrors() {
        AttackInputs inputs = AttackInputs.of(data, McqForm.LETTERED);
        assertThrows(InputException.class, () -> attack.check(List.of("6"), inputs));
        assertThrows(InputException.class, () -> attack.check(List.of("-1"), inputs));
        assertThrows(InputException.class,
                () -> attack.check(List.of("1"), AttackInputs.of(McqItems.of("few", 0, 1, 2, 3), McqForm.LETTERED)));
    }
}
