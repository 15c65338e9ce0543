package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TofuScoresTest {

    private static final double LN2 = Math.log(2);

    @Test
    void normalizedProbabilityUndoesTheMeanNll() {
        assertEquals(0.5, TofuScores.normalizedProbability(LN2), 1e-15);
        assertEquals(1.0, TofuScores.normalizedProbability(0.0));
    }

    @Test
    void truthRatioIsGeometricMeanOfPerturbedOverParaphrased() {
        // P(paraphrased) = 1/2, P(perturbed) = 1/4 and 1/16: geometric mean sqrt(1/64) = 1/8, R = (1/8)/(1/2)
        assertEquals(0.25, TofuScores.truthRatio(LN2, new double[] {2 * LN2, 4 * LN2}), 1e-15);
    }

    @Test
    void forgetAndRetainTruthScores() {
        double[] ratios = {0.25, 2.0, 1.0};
        // min(R, 1/R) = 0.25, 0.5, 1 -> mean 1.75/3
        assertEquals(1.75 / 3, TofuScores.forgetTruthScore(ratios), 1e-15);
        // max(0, 1 - R) = 0.75, 0, 0 -> mean 0.25
        assertEquals(0.25, TofuScores.retainTruthScore(ratios), 1e-15);
    }

    @Test
    void relativeProbabilityIsTheAnswersShare() {
        // 1/2 / (1/2 + 1/4 + 1/4)
        assertEquals(0.5, TofuScores.relativeProbability(LN2, new double[] {2 * LN2, 2 * LN2}), 1e-15);
    }

    @Test
    void modelUtilityIsTheHarmonicMean() {
        // 3 / (1/0.5 + 1/0.25 + 1/1) = 3/7; scipy.stats.hmean([0.5, 0.25, 1.0]) = 0.42857142857142855
        assertEquals(3.0 / 7, TofuScores.modelUtility(0.5, 0.25, 1.0), 1e-15);
        assertEquals(0.0, TofuScores.modelUtility(0.5, 0.0, 1.0)); // scipy.stats.hmean also gives 0
        assertThrows(IllegalArgumentException.class, () -> TofuScores.modelUtility(0.5, -0.1));
        assertThrows(IllegalArgumentException.class, () -> TofuScores.modelUtility());
    }

    @Test
    void forgetQualityIsTheKsPValueAndIgnoresWhetherRatiosAreInverted() {
        double[] unlearned = {0.9, 1.1, 0.7, 1.3, 0.95};
        double[] retained = {0.2, 0.3, 0.25, 0.6, 0.4, 0.1};
        double p = TofuScores.forgetQuality(unlearned, retained);
        // every unlearned ratio exceeds every retained one: D = 1, p = 2 / C(11, 5) = 2/462
        assertEquals(2.0 / 462, p, 1e-15);
        assertEquals(p, TofuScores.forgetQuality(inverse(unlearned), inverse(retained)), 1e-15);
    }

    private static double[] inverse(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = 1 / values[i];
        }
        return out;
    }
}
