package dev.falcon.train;

import dev.falcon.InputException;
import dev.falcon.engine.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * Updates the edited parameters in place from their gradients. State (moments) is kept per
 * parameter, keyed by its index in the list, so every step must pass the same parameters in the
 * same order.
 */
public interface Optimizer {

    /** One update; grads.get(i) is the gradient of params.get(i). */
    void step(List<Tensor> params, List<Tensor> grads);

    /** "sophiag" (the official choice) or "adamw", each with its own defaults besides lr. */
    static Optimizer byName(String name, double lr) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sophiag" -> new SophiaG(lr);
            case "adamw" -> new AdamW(lr);
            default -> throw new InputException("unknown optimizer '" + name + "'; expected sophiag or adamw");
        };
    }
}
