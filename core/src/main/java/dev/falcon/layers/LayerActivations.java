package dev.falcon.layers;

import java.util.List;
import java.util.Objects;

/**
 * One layer's activation matrices (rows = samples, one last-token vector each): one matrix per
 * forget domain F1..Fm and the retain matrix R.
 */
public record LayerActivations(List<double[][]> forget, double[][] retain) {

    public LayerActivations {
        forget = List.copyOf(forget);
        if (forget.isEmpty()) {
            throw new IllegalArgumentException("at least one forget domain is needed");
        }
        Objects.requireNonNull(retain, "retain");
    }

    /** The usual case of a single forget domain. */
    public static LayerActivations of(double[][] forget, double[][] retain) {
        return new LayerActivations(List.<double[][]>of(forget), retain);
    }
}
