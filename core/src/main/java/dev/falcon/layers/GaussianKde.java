package dev.falcon.layers;

/**
 * Resubstitution entropy of a Gaussian kernel density estimate built the way scipy's
 * {@code gaussian_kde} builds it: kernel covariance = unbiased data covariance times Scott's
 * factor n^(-1/(d+4)) squared, log densities computed on points whitened by the lower Cholesky
 * factor of that covariance.
 */
final class GaussianKde {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianKde() {
    }

    /** H = -mean_i log p(x_i), p the estimate fitted on the same points. */
    static double resubstitutionEntropy(double[][] points) throws EstimationException {
        int n = points.length;
        int d = Matrices.columns(points);
        double factor = Math.pow(n, -1.0 / (d + 4));
        double[][] cholesky = cholesky(Matrices.covariance(points), n);
        double logNorm = -0.5 * d * LOG_2PI - Math.log(n);
        for (int i = 0; i < d; i++) {
            cholesky[i][i] *= factor;
            logNorm -= Math.log(cholesky[i][i]);
            for (int j = 0; j < i; j++) {
                cholesky[i][j] *= factor;
            }
        }
        double[][] whitened = new double[n][];
        for (int i = 0; i < n; i++) {
            whitened[i] = solveLower(cholesky, points[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += logNorm + logSumHalfNegSquaredDistances(whitened, i);
        }
        return -sum / n;
    }

    /** log sum_j exp(-|z_i - z_j|^2 / 2), shifted by the largest term so nothing underflows. */
    private static double logSumHalfNegSquaredDistances(double[][] z, int i) {
        double[] args = new double[z.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            double squared = 0;
            for (int k = 0; k < z[i].length; k++) {
                double diff = z[i][k] - z[j][k];
                squared += diff * diff;
            }
            args[j] = -0.5 * squared;
            max = Math.max(max, args[j]);
        }
        double total = 0;
        for (double arg : args) {
            total += Math.exp(arg - max);
        }
        return max + Math.log(total);
    }

    /**
     * Lower Cholesky factor. LAPACK (what scipy calls) only fails on a non-positive pivot; a
     * pivot at rounding level relative to its diagonal entry means the covariance is singular to
     * working precision and any entropy computed from it would be noise, so that fails too.
     */
    private static double[][] cholesky(double[][] a, int samples) throws EstimationException {
        int d = a.length;
        double tolerance = d * Math.ulp(1.0);
        double[][] l = new double[d][d];
        for (int j = 0; j < d; j++) {
            double pivot = a[j][j];
            for (int k = 0; k < j; k++) {
                pivot -= l[j][k] * l[j][k];
            }
            if (!(pivot > tolerance * a[j][j])) {
                throw new EstimationException("singular covariance (" + samples + " samples in " + d
                        + " dimensions): dimension " + j + " is a linear combination of the others");
            }
            l[j][j] = Math.sqrt(pivot);
            for (int i = j + 1; i < d; i++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = sum / l[j][j];
            }
        }
        return l;
    }

    /** Forward substitution: L^{-1} b. */
    private static double[] solveLower(double[][] l, double[] b) {
        double[] z = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * z[k];
            }
            z[i] = sum / l[i][i];
        }
        return z;
    }
}
