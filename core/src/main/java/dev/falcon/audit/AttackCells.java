package dev.falcon.audit;

import dev.falcon.attack.AttackCurve;

import java.util.List;

/**
 * Measures an audit's attack curves away from the model the audit has loaded: each attack on a model is a cell
 * of its own (a cluster's task, which opens the model, and the original where the attack compares with it,
 * from paths every node reads). A cell runs the attack's own code on the same inputs, so its curve is the one
 * the audit would measure here.
 */
@FunctionalInterface
public interface AttackCells {

    /** Each planned attack's curve, in the battery's order, on the original ({@code onOriginal}) or the unlearned model. */
    List<AttackCurve> curves(AttackBattery battery, boolean onOriginal);
}
