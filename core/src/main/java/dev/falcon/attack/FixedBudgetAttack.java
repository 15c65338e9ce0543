package dev.falcon.attack;

import dev.falcon.model.LlamaConfig;

import java.util.List;

/** An attack whose budgets are a fixed list of labels (formats, templates), all of them tried by default. */
abstract class FixedBudgetAttack implements Attack {

    private final String name;
    private final String budgetAxis;
    private final List<String> budgets;

    FixedBudgetAttack(String name, String budgetAxis, List<String> budgets) {
        this.name = name;
        this.budgetAxis = budgetAxis;
        this.budgets = List.copyOf(budgets);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String budgetAxis() {
        return budgetAxis;
    }

    @Override
    public final List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return budgets;
    }

    @Override
    public final void check(List<String> tried, AttackInputs inputs) {
        Budgets.requireKnown(name, tried, budgets);
    }
}
