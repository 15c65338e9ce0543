package dev.falcon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OfficialKdeEstimatorTest {

    private final OfficialKdeEstimator official = new OfficialKdeEstimator();

    /**
     * Points {0, 1}: unbiased variance 1/2, Scott factor 2^(-1/5), kernel variance
     * s2 = 2^(-2/5) / 2. Both points have density (1 + exp(-1 / (2 s2))) / (2 sqrt(2 pi s2)).
     */
    @Test
    void twoPointEntropyMatchesHandComputation() throws EstimationException {
        double s2 = Math.pow(2, -0.4) / 2;
        double density = (1 + Math.exp(-1 / (2 * s2))) / (2 * Math.sqrt(2 * Math.PI * s2));
        OfficialKdeEstimator.Entropy h = official.entropy(new double[][] {{0}, {1}});
        assertEquals(-Math.log(density), h.value(), 1e-14);
        assertEquals(1, h.dims());
    }

    /**
     * Corners of the unit square: covariance I/3, Scott factor 4^(-1/6), kernel variance
     * s2 = 4^(-1/3) / 3 per axis. Every corner sees squared distances 0, 1, 1, 2, so its density
     * is (1 + 2 exp(-1/(2 s2)) + exp(-2/(2 s2))) / (4 * 2 pi s2).
     */
    @Test
    void squareEntropyMatchesHandComputation() throws EstimationException {
        double s2 = Math.pow(4, -1.0 / 3) / 3;
        double e = Math.exp(-1 / (2 * s2));
        double density = (1 + 2 * e + e * e) / (4 * 2 * Math.PI * s2);
        double[][] square = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
        assertEquals(-Math.log(density), official.entropy(square).value(), 1e-14);
    }

    /**
     * The kernel covariance follows the data covariance, so the estimate is affine-equivariant:
     * H(X A^T) = H(X) + ln|det A|. A sheared map exercises the off-diagonal Cholesky terms.
     */
    @Test
    void entropyShiftsByLogDeterminantUnderLinearMaps() throws EstimationException {
        Random random = new Random(3);
        double[][] x = new double[200][3];
        for (double[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = {{2, 0.5, 0}, {0.3, 1, -0.7}, {0, 0.4, 0.5}};
        double det = 2 * (1 * 0.5 + 0.7 * 0.4) - 0.5 * (0.3 * 0.5 - 0);
        double[][] mapped = new double[x.length][3];
        for (int i = 0; i < x.length; i++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    mapped[i][r] += a[r][c] * x[i][c];
                }
            }
        }
        assertEquals(official.entropy(x).value() + Math.log(Math.abs(det)), official.entropy(mapped).value(), 1e-10);
    }

    /** Rows +-a e1, +-b e2, +-c e3 in 12 columns: variance ratios are a^2 : b^2 : c^2 = .90 : .06 : .04. */
    @Test
    void componentCountFollowsScikitLearnRule() throws EstimationException {
        double[] scale = {Math.sqrt(0.90), Math.sqrt(0.06), Math.sqrt(0.04)};
        double[][] x = new double[6][12];
        for (int axis = 0; axis < 3; axis++) {
            x[2 * axis][axis] = scale[axis];
            x[2 * axis + 1][axis] = -scale[axis];
        }
        PrincipalComponents pca = PrincipalComponents.fit(x);
        assertEquals(1, pca.componentsExplaining(0.85));
        assertEquals(2, pca.componentsExplaining(0.95), "cumulative .96 is the first above .95");
        assertEquals(3, pca.componentsExplaining(0.97));
        assertEquals(3, pca.componentsExplaining(0.999), "never more components than there are");
    }

    @Test
    void narrowMatricesAreNotReduced() throws EstimationException {
        double[][] x = new double[20][10];
        assertSame(x, PrincipalComponents.reduce(x));
    }

    @Test
    void projectionPreservesDistancesWithinTheKeptSubspace() throws EstimationException {
        // Rank-2 data in 12 columns along directions of similar length: both components are
        // needed for 95%, so pairwise distances survive the projection exactly.
        Random random = new Random(5);
        double[][] x = new double[30][12];
        for (double[] row : x) {
            double u = random.nextGaussian();
            double v = random.nextGaussian();
            for (int j = 0; j < 12; j++) {
                row[j] = u * (j % 2 == 0 ? 1 : -1) + v * (j < 6 ? 1 : 0);
            }
        }
        double[][] reduced = PrincipalComponents.reduce(x);
        assertEquals(2, reduced[0].length);
        assertEquals(distance(x[3], x[17]), distance(reduced[3], reduced[17]), 1e-9);
    }

    @Test
    void singularCovarianceIsAFailureNotZero() {
        Random random = new Random(1);
        double[][] x = new double[50][3];
        for (double[] row : x) {
            row[0] = random.nextGaussian();
            row[1] = random.nextGaussian();
            row[2] = row[0] - 2 * row[1];
        }
        EstimationException e = assertThrows(EstimationException.class, () -> official.estimate(x, x));
        assertTrue(e.getMessage().startsWith("H(X): singular covariance"), e.getMessage());
    }

    @Test
    void fewerSamplesThanDimensionsIsSingular() {
        double[][] x = {{1, 2, 3, 4}, {2, 1, 0, 5}, {0, 0, 1, 1}};
        EstimationException e = assertThrows(EstimationException.class, () -> official.entropy(x));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void identicalRowsAreReported() {
        double[][] x = new double[5][12];
        EstimationException e = assertThrows(EstimationException.class, () -> official.entropy(x));
        assertTrue(e.getMessage().contains("identical"), e.getMessage());
    }

    @Test
    void nonFiniteActivationsAreReported() {
        double[][] x = {{1}, {Double.NaN}, {3}};
        EstimationException e = assertThrows(EstimationException.class, () -> official.entropy(x));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test
    void raggedMatrixIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> official.entropy(new double[][] {{1, 2}, {3}}));
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
