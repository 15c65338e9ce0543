package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.model.LlamaConfig;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** The {@link LogitLens} as an attack: the budget is the layer read, every layer by default. */
public final class LogitLensAttack implements Attack {

    @Override
    public String name() {
        return "logit-lens";
    }

    @Override
    public String budgetAxis() {
        return "layer";
    }

    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return IntStream.range(0, config.numLayers()).mapToObj(Integer::toString).toList();
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireDistinct(name(), budgets);
        budgets.forEach(b -> Budgets.count(name(), b, 0));
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
        int layers = scorer.model().config().numLayers();
        budgets.stream().filter(b -> Budgets.count(name(), b, 0) >= layers).findFirst().ifPresent(b -> {
            throw new InputException("attack " + name() + ": layer " + b + " is past the model's last, "
                    + (layers - 1));
        });
        LogitLens lens = new LogitLens(scorer, inputs.form());
        return AttackCurve.measure(this, inputs.questions(), budgets,
                b -> lens.score(inputs.questions(), Budgets.count(name(), b, 0)), budgetDone);
    }
}
