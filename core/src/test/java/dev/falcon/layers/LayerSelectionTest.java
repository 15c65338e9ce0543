package dev.falcon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerSelectionTest {

    private static final int SAMPLES = 1000;

    /** Layer l pairs forget and retain rows with the given correlation, so the true MI is known. */
    private static Map<Integer, LayerActivations> layersWithCorrelations(double... rho) {
        Map<Integer, LayerActivations> layers = new HashMap<>();
        for (int l = 0; l < rho.length; l++) {
            CorrelatedGaussians g = new CorrelatedGaussians(SAMPLES, 2, rho[l], 100 + l);
            layers.put(l, LayerActivations.of(g.x, g.y));
        }
        return layers;
    }

    @Test
    void selectsTheLayerWithLeastMutualInformation() {
        // True MI: 0.83, 0.02, 0.29 nats.
        LayerSelectionResult result = new LayerSelection(new KsgEstimator())
                .selectLayers(layersWithCorrelations(0.9, 0.2, 0.6));
        assertEquals(1, result.selected().getAsInt());
        assertEquals("ksg-k3", result.estimator());
        List<LayerScore> scores = result.layers();
        assertEquals(List.of(0, 1, 2), scores.stream().map(LayerScore::layer).toList());
        assertEquals(1.0, scores.get(0).normalized(), 0.0, "the largest MI normalises to 1");
        assertEquals(0.0, scores.get(1).normalized(), 0.0, "the selected layer normalises to 0");
        double expected = (scores.get(2).mi() - scores.get(1).mi()) / (scores.get(0).mi() - scores.get(1).mi());
        assertEquals(expected, scores.get(2).normalized(), 1e-15);
    }

    @Test
    void failedLayerIsReportedAndExcludedFromTheArgmin() {
        Map<Integer, LayerActivations> layers = layersWithCorrelations(0.5, 0.9);
        // A third column that is a combination of the other two makes the KDE covariance singular;
        // its MI would otherwise be the smallest of all (independent samples).
        Random random = new Random(9);
        double[][] degenerate = new double[SAMPLES][3];
        double[][] independent = new double[SAMPLES][3];
        for (int i = 0; i < SAMPLES; i++) {
            degenerate[i][0] = random.nextGaussian();
            degenerate[i][1] = random.nextGaussian();
            degenerate[i][2] = degenerate[i][0] + degenerate[i][1];
            for (int j = 0; j < 3; j++) {
                independent[i][j] = random.nextGaussian();
            }
        }
        layers.put(7, LayerActivations.of(degenerate, independent));
        LayerSelectionResult result = new LayerSelection(new OfficialKdeEstimator()).selectLayers(layers);
        LayerScore failed = result.layers().get(2);
        assertEquals(7, failed.layer());
        assertTrue(failed.isFailed());
        assertTrue(failed.failure().startsWith("I(F1;R): H(X): singular covariance"), failed.failure());
        assertTrue(Double.isNaN(failed.mi()) && Double.isNaN(failed.normalized()));
        assertEquals(0, result.selected().getAsInt());
    }

    @Test
    void allLayersFailingSelectsNothing() {
        double[][] tooFew = {{1.0}};
        LayerSelectionResult result = new LayerSelection(new OfficialKdeEstimator())
                .select(Map.of(3, tooFew), Map.of(3, tooFew));
        assertFalse(result.selected().isPresent());
        assertTrue(result.layers().get(0).failure().contains("at least 2 samples"));
    }

    /** I_l = I(F1;R) + I(F2;R) + eta * I(F1;F2), each term checked against a direct estimate. */
    @Test
    void multipleForgetDomainsSumTheirTerms() throws EstimationException {
        CorrelatedGaussians a = new CorrelatedGaussians(SAMPLES, 2, 0.5, 1);
        CorrelatedGaussians b = new CorrelatedGaussians(SAMPLES, 2, 0.7, 2);
        double[][] retain = a.y;
        LayerActivations layer = new LayerActivations(List.of(a.x, b.x), retain);
        KsgEstimator ksg = new KsgEstimator();
        double eta = -0.5;
        LayerScore score = new LayerSelection(ksg, eta).selectLayers(Map.of(4, layer)).layers().get(0);

        double expected = ksg.estimate(a.x, retain).mi() + ksg.estimate(b.x, retain).mi()
                + eta * ksg.estimate(a.x, b.x).mi();
        assertEquals(expected, score.mi(), 1e-12);
        assertEquals(List.of("I(F1;R)", "I(F2;R)", "I(F1;F2)"), score.terms().stream().map(MiTerm::name).toList());
        assertEquals(eta, score.terms().get(2).weight());
    }

    @Test
    void zeroEtaSkipsForgetForgetTerms() {
        CorrelatedGaussians a = new CorrelatedGaussians(200, 2, 0.5, 1);
        LayerActivations layer = new LayerActivations(List.of(a.x, a.x), a.y);
        LayerScore score = new LayerSelection(new KsgEstimator()).selectLayers(Map.of(0, layer)).layers().get(0);
        assertEquals(List.of("I(F1;R)", "I(F2;R)"), score.terms().stream().map(MiTerm::name).toList());
    }

    @Test
    void mismatchedLayerKeysAreRejected() {
        double[][] x = {{1}, {2}};
        assertThrows(IllegalArgumentException.class,
                () -> new LayerSelection(new KsgEstimator()).select(Map.of(1, x), Map.of(2, x)));
    }
}
