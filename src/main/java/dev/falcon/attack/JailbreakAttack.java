package dev.falcon.attack;

import dev.falcon.eval.LogLikelihood;
import dev.falcon.model.LlamaConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link JailbreakPrompts} as an attack: the budget is the template ({@code none}: the plain prompt),
 * each template by default.
 */
public final class JailbreakAttack implements Attack {

    /** The budget of the plain prompt, behind no template. */
    public static final String NONE = "none";

    @Override
    public String name() {
        return "jailbreak";
    }

    @Override
    public String budgetAxis() {
        return "template";
    }

    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return everyBudget();
    }

    private static List<String> everyBudget() {
        List<String> budgets = new ArrayList<>(List.of(NONE));
        Arrays.stream(JailbreakPrompts.Template.values()).map(JailbreakPrompts.Template::id).forEach(budgets::add);
        return budgets;
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireDistinct(name(), budgets);
        List<String> known = everyBudget();
        budgets.forEach(b -> Budgets.requireKnown(name(), b, known));
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
