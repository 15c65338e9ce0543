package dev.falcon.eval;

import java.util.Arrays;

/**
 * The two-sided two-sample Kolmogorov-Smirnov test as scipy.stats.ks_2samp computes it with its
 * default {@code method='auto'}, which is exact while neither sample has more than 10000 values.
 * TOFU's forget quality is this p-value, over at most a few hundred questions. Beyond 10000
 * values scipy switches to {@code kstwo.sf(D, round(n1*n2/(n1+n2)))}, the Simard-L'Ecuyer
 * one-sample distribution built on double-double arithmetic; that branch is not reproduced here
 * and such samples are rejected rather than answered differently.
 *
 * <p>The exact p-value is the share of the C(n1+n2, n1) equally likely interleavings of the two
 * samples (lattice paths from (0,0) to (n1,n2)) that reach the observed distance. scipy
 * computes it with Hodges' treatment of the Drion/Gnedenko/Korolyuk counting, in the form that
 * Viehmann (arXiv 2102.08037) made numerically stable; this class follows the same recursions,
 * operation for operation, so results agree to the last bits.
 */
public final class KolmogorovSmirnov {

    /** scipy's MAX_AUTO_N: 'auto' stays exact while max(n1, n2) is at most this. */
    static final int MAX_EXACT_SIZE = 10_000;

    private KolmogorovSmirnov() {
    }

    /**
     * The p-value of H0 "both samples come from one continuous distribution". NaN when a sample
     * holds NaN (scipy's default nan_policy propagates it).
     *
     * @throws IllegalArgumentException for an empty sample or one of more than 10000 values
     */
    public static double twoSamplePValue(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("the Kolmogorov-Smirnov test needs two non-empty samples");
        }
        if (Math.max(a.length, b.length) > MAX_EXACT_SIZE) {
            throw new IllegalArgumentException("samples of " + a.length + " and " + b.length
                    + " values: the exact two-sample test is limited to " + MAX_EXACT_SIZE + " values per sample");
        }
        if (hasNaN(a) || hasNaN(b)) {
            return Double.NaN;
        }
        long g = gcd(a.length, b.length);
        long h = scaledStatistic(sorted(a), sorted(b)) / g;
        // scipy also checks the exact result lies in [0, 1]; both recursions below only form
        // products and convex combinations of values in [0, 1], so it always does.
        return exactPValue(a.length, b.length, g, h);
    }

    /**
     * The statistic D = max |F1 - F2| times n1*n2, as an exact integer (scipy rounds D*lcm to
     * one): max |i*n2 - j*n1| over
     * the points where i values of a and j values of b are at most the point. Ties count
     * together, as scipy's searchsorted(side='right') counts them.
     */
    static long scaledStatistic(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        long best = 0;
        while (i < a.length || j < b.length) {
            double v = Math.min(i < a.length ? a[i] : Double.POSITIVE_INFINITY,
                    j < b.length ? b[j] : Double.POSITIVE_INFINITY);
            while (i < a.length && a[i] <= v) {
                i++;
            }
            while (j < b.length && b[j] <= v) {
                j++;
            }
            best = Math.max(best, Math.abs((long) i * b.length - (long) j * a.length));
        }
        return best;
    }

    /** P(D >= h / lcm(n1, n2)) under H0, where h = D * lcm is an integer. */
    static double exactPValue(int n1, int n2, long g, long h) {
        if (h == 0) {
            return 1.0;
        }
        return n1 == n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
    }

    /**
     * Equal sizes: by the reflection principle P(D >= h/n) = 2 * sum_{k>=1} (-1)^(k+1)
     * C(2n, n-kh) / C(2n, n). Written as 2*A0*(1 - A1*(1 - A2*(...))) with A_k = C(2n, n-(k+1)h)
     * / C(2n, n-kh), a product of h simple ratios, to avoid cancellation (scipy's
     * _compute_prob_outside_square).
     */
    static double outsideSquare(int n, long h) {
        double p = 0.0;
        for (long k = n / h; k >= 0; k--) {
            double ratio = 1.0;
            for (long j = 0; j < h; j++) {
                ratio = (n - k * h - j) * ratio / (n + k * h + j + 1);
            }
            p = ratio * (1.0 - p);
        }
        return 2 * p;
    }

    /**
     * Unequal sizes (m >= n after a swap): q(i, j), the probability that a uniformly random path
     * to (i, j) has already left the band |ng*i - mg*j| < h, is 1 outside the band and inside it
     * (i*q(i-1, j) + j*q(i, j-1)) / (i + j), since the last step came from the left with
     * probability i/(i+j). The answer is q(m, n). Only the band's rows of each column change.
     */
    static double outsideBand(int m, int n, long g, long h) {
        if (m < n) {
            return outsideBand(n, m, g, h);
        }
        long mg = m / g;
        long ng = n / g;
        double[] q = new double[n + 1];
        int hi = (int) Math.min(ceilDiv(h, mg), n + 1);
        Arrays.fill(q, hi, n + 1, 1.0);
        for (int i = 1; i <= m; i++) {
            int lo = (int) Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0), n);
            hi = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (hi <= lo) {
                return 1.0;
            }
            double below = lo == 0 ? 0.0 : 1.0;
            for (int j = lo; j < hi; j++) {
                below = (q[j] * i + below * j) / (i + j);
                q[j] = below;
            }
        }
        return q[n];
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static boolean hasNaN(double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
