package dev.falcon.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * FALCON's layer selection: score every candidate layer l by
 * I_l = sum_i I(Fi;R) + eta * sum_{i<j} I(Fi;Fj) and select argmin_l I_l, the layer where forget
 * and retain representations are least entangled. Layers whose estimate fails are reported with
 * the reason and left out of the argmin.
 */
public final class LayerSelection {

    /** The paper does not settle eta; 0 scores forget-retain entanglement only. */
    public static final double DEFAULT_ETA = 0;

    private final MutualInformationEstimator estimator;
    private final double eta;

    public LayerSelection(MutualInformationEstimator estimator) {
        this(estimator, DEFAULT_ETA);
    }

    public LayerSelection(MutualInformationEstimator estimator, double eta) {
        if (!Double.isFinite(eta)) {
            throw new IllegalArgumentException("eta must be finite, got " + eta);
        }
        this.estimator = estimator;
        this.eta = eta;
    }

    /** Single forget domain; both maps must have the same layer keys. */
    public LayerSelectionResult select(Map<Integer, double[][]> forget, Map<Integer, double[][]> retain) {
        if (!forget.keySet().equals(retain.keySet())) {
            throw new IllegalArgumentException("forget layers " + new TreeMap<>(forget).keySet()
                    + " differ from retain layers " + new TreeMap<>(retain).keySet());
        }
        Map<Integer, LayerActivations> layers = new TreeMap<>();
        forget.forEach((layer, f) -> layers.put(layer, LayerActivations.of(f, retain.get(layer))));
        return selectLayers(layers);
    }

    /** Any number of forget domains per layer. */
    public LayerSelectionResult selectLayers(Map<Integer, LayerActivations> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no candidate layers");
        }
        List<LayerScore> raw = new ArrayList<>();
        new TreeMap<>(layers).forEach((layer, activations) -> raw.add(score(layer, activations)));
        return normalizedResult(raw);
    }

    private LayerScore score(int layer, LayerActivations activations) {
        List<double[][]> forget = activations.forget();
        List<MiTerm> terms = new ArrayList<>();
        try {
            for (int i = 0; i < forget.size(); i++) {
                terms.add(term("I(F" + (i + 1) + ";R)", 1, forget.get(i), activations.retain()));
            }
            // With eta = 0 the forget-forget terms cannot change the score, so they are not estimated.
            for (int i = 0; eta != 0 && i < forget.size(); i++) {
                for (int j = i + 1; j < forget.size(); j++) {
                    terms.add(term("I(F" + (i + 1) + ";F" + (j + 1) + ")", eta, forget.get(i), forget.get(j)));
                }
            }
        } catch (EstimationException e) {
            return LayerScore.failed(layer, e.getMessage());
        }
        double mi = 0;
        for (MiTerm t : terms) {
            mi += t.weight() * t.estimate().mi();
        }
        if (!Double.isFinite(mi)) {
            return LayerScore.failed(layer, "estimate is not finite: " + mi);
        }
        return new LayerScore(layer, terms, mi, Double.NaN, null);
    }

    private MiTerm term(String name, double weight, double[][] x, double[][] y) throws EstimationException {
        try {
            return new MiTerm(name, weight, estimator.estimate(x, y));
        } catch (EstimationException e) {
            throw new EstimationException(name + ": " + e.getMessage());
        }
    }

    /** Min-max normalisation over the layers that did not fail; all 0 when they tie. */
    private LayerSelectionResult normalizedResult(List<LayerScore> raw) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        OptionalInt selected = OptionalInt.empty();
        for (LayerScore s : raw) {
            if (!s.isFailed()) {
                if (s.mi() < min) {
                    min = s.mi();
                    selected = OptionalInt.of(s.layer());
                }
                max = Math.max(max, s.mi());
            }
        }
        List<LayerScore> scores = new ArrayList<>();
        for (LayerScore s : raw) {
            double normalized = s.isFailed() ? Double.NaN : max > min ? (s.mi() - min) / (max - min) : 0;
            scores.add(new LayerScore(s.layer(), s.terms(), s.mi(), normalized, s.failure()));
        }
        return new LayerSelectionResult(estimator.name(), eta, scores, selected);
    }
}
