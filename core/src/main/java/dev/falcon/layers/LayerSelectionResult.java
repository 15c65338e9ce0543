package dev.falcon.layers;

import java.util.List;
import java.util.OptionalInt;

/**
 * Scores of every candidate layer in ascending layer order, and the selected layer: the argmin of
 * the score over the layers whose estimate did not fail (empty when all failed).
 */
public record LayerSelectionResult(String estimator, double eta, List<LayerScore> layers, OptionalInt selected) {

    public LayerSelectionResult {
        layers = List.copyOf(layers);
    }
}
