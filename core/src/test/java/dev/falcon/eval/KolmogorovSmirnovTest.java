package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KolmogorovSmirnovTest {

    private static double p(double[] a, double[] b) {
        return KolmogorovSmirnov.twoSamplePValue(a, b);
    }

    @Test
    void identicalSamplesHaveDistanceZeroAndPValueOne() {
        assertEquals(1.0, p(new double[] {3, 1, 2}, new double[] {1, 2, 3}));
        assertEquals(1.0, p(new double[] {5}, new double[] {5, 5, 5, 5}));
    }

    /**
     * D = 1 only when every value of one sample lies below every value of the other. Of the
     * C(n+m, n) equally likely orderings of the pooled values exactly two do that (all of a
     * first, or all of b first), so the two-sided exact p-value is 2 / C(n+m, n).
     */
    @Test
    void separatedSamplesGiveTwoOverBinomial() {
        assertEquals(2.0 / 35, p(new double[] {1, 2, 3}, new double[] {4, 5, 6, 7}), 1e-15); // C(7,3) = 35
        assertEquals(2.0 / 70, p(new double[] {5, 6, 7, 8}, new double[] {1, 2, 3, 4}), 1e-15); // C(8,4) = 70
        assertEquals(2.0 / 6, p(new double[] {9}, new double[] {1, 2, 3, 4, 5}), 1e-15); // C(6,1) = 6
        assertEquals(2.0 / 184_756, p(range(0, 10), range(10, 20)), 1e-18); // C(20,10) = 184756
    }

    /**
     * a = {1,2,4}, b = {3,5,6}: after 1, 2, 3, 4, 5, 6 the ECDF gap is 1/3, 2/3, 1/3, 2/3, 1/3, 0,
     * so D = 2/3, h = 2 steps of 1/3. For n = m the reflection principle gives
     * P(D >= h/n) = 2 * [C(2n, n-h) - C(2n, n-2h) + ...] / C(2n, n) = 2 * C(6, 1) / C(6, 3)
     * = 12/20 = 0.6 (C(6, -1) = 0). scipy 1.17.1 ks_2samp also gives 0.6.
     */
    @Test
    void equalSizeMidCaseMatchesTheReflectionFormula() {
        assertEquals(0.6, p(new double[] {1, 2, 4}, new double[] {3, 5, 6}), 1e-15);
    }

    /**
     * Against brute force: enumerate every way to place the n values of a among n+m positions,
     * compute D for each ordering, and count those at least as extreme as the observed one. This
     * is the definition of the exact p-value, computed without any of the recursions.
     */
    @Test
    void exactPValuesEqualTheEnumeratedPermutationDistribution() {
        for (int n = 1; n <= 7; n++) {
            for (int m = 1; m <= 8; m++) {
                long[] distances = allDistances(n, m);
                for (long observed : distinct(distances)) {
                    long atLeast = java.util.Arrays.stream(distances).filter(d -> d >= observed).count();
                    double[][] samples = samplesWithDistance(n, m, observed);
                    assertEquals((double) atLeast / distances.length, p(samples[0], samples[1]), 1e-12,
                            "n=" + n + " m=" + m + " D*n*m=" + observed);
                }
            }
        }
    }

    @Test
    void tiesAreCountedTogether() {
        // ECDF gaps after 1 and 2: 2/3 - 1/3 and 1 - 1: D = 1/3, h = 1; P(D >= 1/3) = 1 for n = m = 3
        // (every path leaves the diagonal); scipy 1.17.1 gives 1.0.
        assertEquals(1.0, p(new double[] {1, 1, 2}, new double[] {1, 2, 2}));
        assertEquals(3, KolmogorovSmirnov.scaledStatistic(new double[] {1, 1, 2}, new double[] {1, 2, 2}));
    }

    /** TOFU-sized samples; expected values printed by scipy 1.17.1 ks_2samp on the same data. */
    @Test
    void tofuSizedSamplesMatchScipy() {
        double[] a200 = new double[200];
        double[] b400 = new double[400];
        double[] a400 = new double[400];
        double[] b400s = new double[400];
        for (int i = 0; i < 400; i++) {
            if (i < 200) {
                a200[i] = (i * 7919 % 1000) / 1000.0;
            }
            a400[i] = (i * 7919 % 1000) / 1000.0;
            b400[i] = (i * 104729 % 997) / 997.0 + 0.05;
            b400s[i] = (i * 104729 % 997) / 997.0 + 0.03;
        }
        assertEquals(0.6190713161830892, p(a200, b400), 1e-13);
        assertEquals(0.9674055629008819, p(a400, b400s), 1e-13);
        double[] a40 = new double[40];
        double[] b3600 = new double[3600];
        for (int i = 0; i < 3600; i++) {
            if (i < 40) {
                a40[i] = (i * 31 % 101) / 101.0;
            }
            b3600[i] = (i * 17 % 89) / 89.0 + 0.1;
        }
        assertEquals(0.5903244032285094, p(a40, b3600), 1e-13);
    }

    @Test
    void largestExactSizeMatchesScipy() {
        double[] a = new double[10_000];
        double[] b = new double[7000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i * 31 % 10007) / 10007.0;
            if (i < b.length) {
                b[i] = (i * 17 % 9973) / 9973.0 + 0.01;
            }
        }
        assertEquals(0.7847919563058015, p(a, b), 1e-12);
    }

    @Test
    void badInputs() {
        assertTrue(Double.isNaN(p(new double[] {1, Double.NaN}, new double[] {1})));
        assertThrows(IllegalArgumentException.class, () -> p(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> p(new double[10_001], new double[] {1}));
    }

    private static double[] range(int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = i;
        }
        return out;
    }

    /** D*n*m of every ordering: bit k of mask set means position k of the pooled order is from a. */
    private static long[] allDistances(int n, int m) {
        return java.util.stream.IntStream.range(0, 1 << (n + m))
                .filter(mask -> Integer.bitCount(mask) == n)
                .mapToLong(mask -> distance(mask, n, m)).toArray();
    }

    private static long distance(int mask, int n, int m) {
        long i = 0;
        long j = 0;
        long best = 0;
        for (int k = 0; k < n + m; k++) {
            if ((mask >> k & 1) == 1) {
                i++;
            } else {
                j++;
            }
            best = Math.max(best, Math.abs(i * m - j * n));
        }
        return best;
    }

    private static long[] distinct(long[] values) {
        return java.util.Arrays.stream(values).distinct().toArray();
    }

    /** Some ordering with the given distance, turned into samples (position k holds value k). */
    private static double[][] samplesWithDistance(int n, int m, long target) {
        for (int mask = 0; mask < 1 << (n + m); mask++) {
            if (Integer.bitCount(mask) == n && distance(mask, n, m) == target) {
                double[] a = new double[n];
                double[] b = new double[m];
                int ia = 0;
                int ib = 0;
                for (int k = 0; k < n + m; k++) {
                    if ((mask >> k & 1) == 1) {
                        a[ia++] = k;
                    } else {
                        b[ib++] = k;
                    }
                }
                return new double[][] {a, b};
            }
        }
        throw new AssertionError("no ordering with distance " + target);
    }
}
