package dev.falcon.layers;

import java.util.List;

/**
 * The score of one candidate layer.
 *
 * @param terms the weighted terms whose sum is {@code mi}; the first is I(F1;R)
 * @param mi the layer score I_l (lower is better); NaN when the estimate failed
 * @param normalized min-max normalised score over the layers that did not fail (0 = best); NaN
 *     when this one failed
 * @param failure why the estimate failed, or null
 */
public record LayerScore(int layer, List<MiTerm> terms, double mi, double normalized, String failure) {

    public LayerScore {
        terms = List.copyOf(terms);
    }

    static LayerScore failed(int layer, String failure) {
        return new LayerScore(layer, List.of(), Double.NaN, Double.NaN, failure);
    }

    public boolean isFailed() {
        return failure != null;
    }

    /** I(F1;R), whose entropies and dimensions layers.json reports as h_forget, h_retain, h_joint. */
    public MiEstimate primary() {
        if (isFailed()) {
            throw new IllegalStateException("layer " + layer + " has no estimate: " + failure);
        }
        return terms.get(0).estimate();
    }
}
