package dev.falcon.layers;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * PCA by a full (compact) SVD of the centered data, choosing the component count exactly as
 * scikit-learn's {@code PCA(n_components=0.95, svd_solver='full')} does.
 */
final class PrincipalComponents {

    /** The official script reduces only matrices with more columns than this. */
    static final int MAX_UNREDUCED_COLUMNS = 10;
    /** The official script keeps this fraction of the variance. */
    static final double VARIANCE_FRACTION = 0.95;

    private final double[] mean;
    /** Right singular vectors as rows, in descending singular-value order. */
    private final DMatrixRMaj components;
    private final double[] singularValues;
    private final int samples;

    private PrincipalComponents(double[] mean, DMatrixRMaj components, double[] singularValues, int samples) {
        this.mean = mean;
        this.components = components;
        this.singularValues = singularValues;
        this.samples = samples;
    }

    /**
     * The official reduction: matrices with at most {@link #MAX_UNREDUCED_COLUMNS} columns are
     * returned as they are, wider ones are projected on their own principal components that
     * explain more than {@link #VARIANCE_FRACTION} of the variance.
     */
    static double[][] reduce(double[][] x) throws EstimationException {
        if (Matrices.columns(x) <= MAX_UNREDUCED_COLUMNS) {
            return x;
        }
        PrincipalComponents pca = fit(x);
        return pca.project(x, pca.componentsExplaining(VARIANCE_FRACTION));
    }

    static PrincipalComponents fit(double[][] x) throws EstimationException {
        int d = Matrices.columns(x);
        int n = x.length;
        double[] mean = Matrices.columnMeans(x);
        DMatrixRMaj centered = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centered.unsafe_set(i, j, x[i][j] - mean[j]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
        if (!svd.decompose(centered)) {
            throw new EstimationException("SVD of the " + n + " x " + d + " centered data did not converge");
        }
        DMatrixRMaj vt = svd.getV(null, true);
        double[] s = svd.getSingularValues().clone();
        int count = svd.numberOfSingularValues();
        // EJML does not order the singular values; PCA needs them descending.
        SingularOps_DDRM.descendingOrder(null, false, s, count, vt, true);
        return new PrincipalComponents(mean, vt, Arrays.copyOf(s, count), n);
    }

    /**
     * scikit-learn's rule for a float n_components: explained variance S^2/(n-1), ratio to its
     * sum, and k = searchsorted(cumsum(ratio), fraction, side='right') + 1, i.e. one more than
     * the number of cumulative ratios that do not exceed the fraction, so the kept components
     * explain strictly more than it.
     */
    int componentsExplaining(double fraction) throws EstimationException {
        int count = singularValues.length;
        double[] variance = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            variance[i] = singularValues[i] * singularValues[i] / (samples - 1);
            total += variance[i];
        }
        if (!(total > 0)) {
            throw new EstimationException("all samples are identical: no variance for PCA");
        }
        // The cumulative sum is non-decreasing, so counting its entries <= fraction is searchsorted.
        double cumulative = 0;
        int notExceeding = 0;
        for (int i = 0; i < count; i++) {
            cumulative += variance[i] / total;
            if (cumulative <= fraction) {
                notExceeding++;
            }
        }
        return Math.min(notExceeding + 1, count);
    }

    /** Scores of x on the first k components: (x - mean) V_k. */
    double[][] project(double[][] x, int k) {
        double[][] scores = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int j = 0; j < mean.length; j++) {
                    sum += (x[i][j] - mean[j]) * components.unsafe_get(c, j);
                }
                scores[i][c] = sum;
            }
        }
        return scores;
    }
}
