package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttacksTest {

    private final McqDataset data = McqItems.of("toy", 0, 0, 2, 1, 3, 1, 0, 2, 3, 1, 0);
    private final LlamaModel model = TinyModels.create(51);
    private final LogLikelihood scorer = new LogLikelihood(model, new ByteTokenizer(16), false, 8);

    /** Every name makes the attack of that name, whose own defaults it accepts. */
    @Test
    void everyNameMakesItsAttack() {
        List<Document> text = IntStream.range(0, 12).mapToObj(i -> Document.plain("text " + i)).toList();
        AttackInputs inputs = new AttackInputs(data, McqForm.LETTERED, text, text, null);
        for (String name : Attacks.NAMES) {
            Attack attack = Attacks.create(name.toUpperCase(java.util.Locale.ROOT), AttackSettings.defaults());
            assertEquals(name, attack.name());
            attack.check(attack.defaultBudgets(model.config(), inputs), inputs);
        }
        assertThrows(InputException.class, () -> Attacks.create("nonesuch", AttackSettings.defaults()));
    }

    /** The logit lens behind the interface measures what LogitLens measures, layer by layer. */
    @Test
    void logitLensCurveIsTheLensByLayer() {
        Attack lens = Attacks.create("logit-lens", AttackSettings.defaults());
        AttackInputs inputs = AttackInputs.of(data, McqForm.LETTERED);
        List<String> told = new ArrayList<>();
        AttackCurve curve = lens.run(scorer, inputs, lens.defaultBudgets(model.config(), inputs), told::add);
        assertEquals(List.of("0", "1"), told);
        assertEquals(new LogitLens(scorer, McqForm.LETTERED).run(data).accuracyByLayer(),
                curve.points().stream().map(p -> p.accuracy().value()).toList());
        assertThrows(InputException.class, () -> lens.run(scorer, inputs, List.of("2"), b -> { }));
    }

    /** The jailbreak attack behind the interface measures what JailbreakPrompts measures, template by template. */
    @Test
    void jailbreakCurveIsThePlainPromptThenEachTemplate() {
        Attack jailbreak = Attacks.create("jailbreak", AttackSettings.defaults());
        AttackInputs inputs = AttackInputs.of(data, McqForm.CLOZE);
        AttackCurve curve = jailbreak.run(scorer, inputs, jailbreak.defaultBudgets(model.config(), inputs), b -> { });
        JailbreakPrompts.Result r = new JailbreakPrompts(scorer, McqForm.CLOZE).run(data);
        List<Double> expected = new ArrayList<>(List.of(r.baseline()));
        expected.addAll(r.accuracyByTemplate().values());
        assertEquals(expected, curve.points().stream().map(p -> p.accuracy().value()).toList());
        assertEquals("none", curve.points().get(0).budget());
        assertThrows(InputException.class, () -> jailbreak.check(List.of("dan"), inputs));
    }
}
