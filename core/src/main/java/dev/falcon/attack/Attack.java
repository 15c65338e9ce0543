package dev.falcon.attack;

import dev.falcon.eval.LogLikelihood;
import dev.falcon.model.LlamaConfig;

import java.util.List;
import java.util.function.Consumer;

/**
 * One knowledge-recovery attack, chosen by name ({@link Attacks}). Its strength is an attacker's
 * budget (steps, bits, examples, ...), so that a result is a curve over budgets rather than one
 * point; its other knobs are in its own settings record, given to its constructor. An attack never
 * modifies the model it is given: any change is made to a copy.
 */
public interface Attack {

    /** The name the command line and results use, e.g. "quantize". */
    String name();

    /** What a budget counts, e.g. "bits" or "documents x steps". */
    String budgetAxis();

    /** The budgets tried when none are given, weakest first (the first is the attack's no-op where it has one). */
    List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs);

    /**
     * Fails with a one-line {@link dev.falcon.InputException} when a budget is malformed or the inputs
     * lack what this attack needs; called before any model is loaded. Budgets that depend on the
     * model (a layer past the last) are refused by {@link #run}.
     */
    void check(List<String> budgets, AttackInputs inputs);

    /**
     * Whether the attack compares the model with the model before unlearning ({@link AttackInputs#original}),
     * which must then be loaded beside it. The control run on the original itself compares it with itself.
     */
    default boolean needsOriginal() {
        return false;
    }

    /**
     * Whether each budget's point is measured on its own (none is a by-product of another budget's run, as a
     * fine-tuning run's later steps are) and the attack records nothing beyond the points: then the curve of a
     * budget list is its budgets' one-budget curves joined ({@link AttackCurve#joined}), and each budget can run
     * apart (a cluster's task each).
     */
    default boolean pointsIndependent() {
        return false;
    }

    /**
     * Attacks {@code scorer}'s model at every budget and scores the questions after each.
     *
     * @param budgetDone told each budget's label once it is scored
     */
    AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                    Consumer<String> budgetDone);
}
