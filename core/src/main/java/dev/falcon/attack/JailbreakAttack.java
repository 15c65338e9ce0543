package dev.falcon.attack;

import dev.falcon.eval.LogLikelihood;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link JailbreakPrompts} as an attack: the budget is the template ({@code none}: the plain prompt),
 * each template by default.
 */
public final class JailbreakAttack extends FixedBudgetAttack {

    /** The budget of the plain prompt, behind no template. */
    public static final String NONE = "none";

    public JailbreakAttack() {
        super("jailbreak", "template", Budgets.after(NONE,
                Arrays.stream(JailbreakPrompts.Template.values()).map(JailbreakPrompts.Template::id)));
    }

    /** Each budget scored on its own, no details. */
    @Override
    public boolean pointsIndependent() {
        return true;
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        JailbreakPrompts prompts = new JailbreakPrompts(scorer, inputs.form());
        return AttackCurve.measure(this, inputs.questions(), budgets, b -> b.equals(NONE)
                ? prompts.score(inputs.questions()) : prompts.score(inputs.questions(), template(b)), budgetDone);
    }

    private static JailbreakPrompts.Template template(String id) {
        return Arrays.stream(JailbreakPrompts.Template.values()).filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow();
    }
}
