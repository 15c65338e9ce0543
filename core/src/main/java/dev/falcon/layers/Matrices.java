package dev.falcon.layers;

import java.util.Arrays;

/** Row-major sample-matrix helpers shared by the estimators (rows = samples, columns = features). */
final class Matrices {

    private Matrices() {
    }

    /** Rejects empty or ragged matrices: those are programming errors, not data problems. */
    static int columns(double[][] x) {
        if (x == null || x.length == 0 || x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException("sample matrix must have at least one row and one column");
        }
        int d = x[0].length;
        for (int i = 1; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw new IllegalArgumentException("ragged sample matrix: row " + i + " does not have " + d + " columns");
            }
        }
        return d;
    }

    /** NaN or infinite activations make every estimate meaningless, so they fail the estimate. */
    static void requireFinite(double[][] x) throws EstimationException {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new EstimationException("non-finite value " + x[i][j] + " at row " + i + ", column " + j);
                }
            }
        }
    }

    static void requireRows(double[][] x, int minimum) throws EstimationException {
        if (x.length < minimum) {
            throw new EstimationException("needs at least " + minimum + " samples, got " + x.length);
        }
    }

    static double[][] firstRows(double[][] x, int n) {
        return Arrays.copyOf(x, n);
    }

    /** Rows paired by index and placed side by side: the official joint sample. */
    static double[][] hstack(double[][] x, double[][] y) {
        double[][] joint = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            joint[i] = Arrays.copyOf(x[i], x[i].length + y[i].length);
            System.arraycopy(y[i], 0, joint[i], x[i].length, y[i].length);
        }
        return joint;
    }

    static double[] columnMeans(double[][] x) {
        double[] mean = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= x.length;
        }
        return mean;
    }

    /** Unbiased (n - 1) sample covariance, as numpy.cov and scipy's gaussian_kde compute it. */
    static double[][] covariance(double[][] x) {
        double[] mean = columnMeans(x);
        int d = mean.length;
        double[][] cov = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                double da = row[a] - mean[a];
                for (int b = 0; b <= a; b++) {
                    cov[a][b] += da * (row[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= x.length - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return cov;
    }
}
