package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.McqDataset;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The scored questions through each {@link Rephrasing}: the budget is the rephrasing's index
 * (0: unchanged), every one by default. The details name each index's rephrasing.
 */
public final class RephraseAttack extends FixedBudgetAttack {

    public RephraseAttack() {
        super("rephrase", "template", IntStream.range(0, Rephrasing.values().length).mapToObj(Integer::toString)
                .toList());
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        McqEvaluator evaluator = new McqEvaluator(scorer);
        AttackCurve curve = AttackCurve.measure(this, inputs.questions(), budgets,
                b -> evaluator.score(rephrased(inputs.questions(), template(b)), inputs.form()), budgetDone);
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        ObjectNode names = details.putObject("templates");
        budgets.forEach(b -> names.put(b, template(b).id()));
        return new AttackCurve(curve.attack(), curve.budgetAxis(), curve.task(), curve.points(), details);
    }

    /** Every question of {@code data} through {@code rephrasing}. */
    static McqDataset rephrased(McqDataset data, Rephrasing rephrasing) {
        return new McqDataset(data.task(), data.items().stream().map(rephrasing::apply).toList(), data.problems());
    }

    private static Rephrasing template(String budget) {
        return Rephrasing.values()[Integer.parseInt(budget)];
    }
}
