package dev.falcon.layers;

import java.util.Arrays;

/**
 * Kraskov-Stögbauer-Grassberger k-nearest-neighbour estimator of I(X;Y) (Phys. Rev. E 69,
 * 066138, 2004, algorithm 1), after reducing each side to whitened principal components.
 *
 * <p>Why it is better founded than {@link OfficialKdeEstimator}:
 * <ul>
 * <li>The official estimator subtracts three entropies computed in three different PCA spaces
 * (for example 6, 4 and 9 dimensions); differential entropies of different dimensions are not
 * comparable, so the difference is not an estimate of any MI and is routinely negative. Here all
 * three terms use the same neighbourhood of each point: its k-th nearest neighbour distance in the
 * joint space (max-norm) fixes the radius at which the marginal neighbours are counted, so the
 * dimension-dependent terms cancel exactly and the estimate is consistent.</li>
 * <li>A KDE evaluated at the points it was fitted on counts each point's own kernel, which biases
 * entropies in a dimension-dependent way that again does not cancel; KSG excludes the point
 * itself, and its remaining bias largely cancels between the joint and the marginals.</li>
 * <li>MI is invariant under invertible reparametrisations of X and of Y separately. Each side is
 * therefore projected on its own principal components (official 95% rule, only above 10 columns,
 * so kNN distances remain meaningful) and each coordinate scaled to unit variance, which loses
 * only low-variance directions and puts the max-norm on a common scale.</li>
 * </ul>
 *
 * <p>The reported entropies are the KSG ones (Kraskov eqs. 8 and 9, in the whitened coordinates,
 * with the k-th neighbour radius), so that mi = hX + hY - hJoint holds exactly. Rows are paired by
 * index; the first min(n_x, n_y) rows of each side are used.
 */
public final class KsgEstimator implements MutualInformationEstimator {

    /** Kraskov et al. recommend a small k (2 to 4) as a balance of bias and variance. */
    public static final int DEFAULT_NEIGHBOURS = 3;

    private static final double EULER_GAMMA = 0.5772156649015329;

    private final int neighbours;

    public KsgEstimator() {
        this(DEFAULT_NEIGHBOURS);
    }

    public KsgEstimator(int neighbours) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbour count must be at least 1, got " + neighbours);
        }
        this.neighbours = neighbours;
    }

    @Override
    public String name() {
        return "ksg-k" + neighbours;
    }

    @Override
    public MiEstimate estimate(double[][] x, double[][] y) throws EstimationException {
        Matrices.columns(x);
        Matrices.columns(y);
        int n = Math.min(x.length, y.length);
        double[][] xs = whitened("X", Matrices.firstRows(x, n));
        double[][] ys = whitened("Y", Matrices.firstRows(y, n));
        return ksg(xs, ys);
    }

    /** Official PCA reduction, then every coordinate scaled to zero mean and unit variance. */
    private double[][] whitened(String label, double[][] x) throws EstimationException {
        try {
            Matrices.requireRows(x, neighbours + 1);
            Matrices.requireFinite(x);
            return standardized(PrincipalComponents.reduce(x));
        } catch (EstimationException e) {
            throw new EstimationException(label + ": " + e.getMessage());
        }
    }

    private static double[][] standardized(double[][] x) throws EstimationException {
        double[] mean = Matrices.columnMeans(x);
        double[][] cov = Matrices.covariance(x);
        double[][] z = new double[x.length][mean.length];
        for (int j = 0; j < mean.length; j++) {
            double sd = Math.sqrt(cov[j][j]);
            if (!(sd > 0)) {
                throw new EstimationException("column " + j + " is constant");
            }
            for (int i = 0; i < x.length; i++) {
                z[i][j] = (x[i][j] - mean[j]) / sd;
            }
        }
        return z;
    }

    private MiEstimate ksg(double[][] x, double[][] y) throws EstimationException {
        int n = x.length;
        double[] digamma = digammaOfIntegers(n);
        double[] dx = new double[n];
        double[] dy = new double[n];
        double marginalDigammaX = 0;
        double marginalDigammaY = 0;
        double logDiameter = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dx[j] = maxNormDistance(x[i], x[j]);
                dy[j] = maxNormDistance(y[i], y[j]);
            }
            double radius = kthJointDistance(dx, dy, i);
            if (radius == 0) {
                throw new EstimationException("sample " + i + " has " + neighbours
                        + " or more exact duplicates; KSG needs distinct samples");
            }
            marginalDigammaX += digamma[countCloser(dx, radius, i) + 1];
            marginalDigammaY += digamma[countCloser(dy, radius, i) + 1];
            logDiameter += Math.log(2 * radius);
        }
        marginalDigammaX /= n;
        marginalDigammaY /= n;
        logDiameter /= n;
        int dimsX = x[0].length;
        int dimsY = y[0].length;
        double hJoint = digamma[n] - digamma[neighbours] + (dimsX + dimsY) * logDiameter;
        double hX = digamma[n] - marginalDigammaX + dimsX * logDiameter;
        double hY = digamma[n] - marginalDigammaY + dimsY * logDiameter;
        double mi = digamma[neighbours] + digamma[n] - marginalDigammaX - marginalDigammaY;
        return new MiEstimate(mi, hX, hY, hJoint, dimsX, dimsY, dimsX + dimsY);
    }

    /** Distance from sample i to its k-th nearest other sample in the joint max-norm. */
    private double kthJointDistance(double[] dx, double[] dy, int i) {
        // Insertion into a sorted array of the k smallest distances seen so far.
        double[] smallest = new double[neighbours];
        Arrays.fill(smallest, Double.POSITIVE_INFINITY);
        for (int j = 0; j < dx.length; j++) {
            double d = Math.max(dx[j], dy[j]);
            if (j == i || d >= smallest[neighbours - 1]) {
                continue;
            }
            int pos = neighbours - 1;
            while (pos > 0 && smallest[pos - 1] > d) {
                smallest[pos] = smallest[pos - 1];
                pos--;
            }
            smallest[pos] = d;
        }
        return smallest[neighbours - 1];
    }

    /** Number of other samples strictly closer than the radius (Kraskov's n_x, n_y). */
    private static int countCloser(double[] distances, double radius, int i) {
        int count = 0;
        for (int j = 0; j < distances.length; j++) {
            if (j != i && distances[j] < radius) {
                count++;
            }
        }
        return count;
    }

    private static double maxNormDistance(double[] a, double[] b) {
        double max = 0;
        for (int k = 0; k < a.length; k++) {
            max = Math.max(max, Math.abs(a[k] - b[k]));
        }
        return max;
    }

    /** psi(m) for m = 0..n (index 0 unused): psi(m) = -gamma + sum_{j<m} 1/j for integers. */
    private static double[] digammaOfIntegers(int n) {
        double[] psi = new double[n + 1];
        psi[0] = Double.NaN;
        psi[1] = -EULER_GAMMA;
        for (int m = 2; m <= n; m++) {
            psi[m] = psi[m - 1] + 1.0 / (m - 1);
        }
        return psi;
    }
}
