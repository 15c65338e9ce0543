package dev.falcon.attack;

import dev.falcon.attack.WeightQuantization.Format;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightQuantizationTest {

    private static final QuantizeSettings GROUPS_OF_4 = new QuantizeSettings(4, 4);

    /**
     * Row 1: absmax 1, scale 1/127; 1 -> 127, -0.502 * 127 = -63.75 -> -64, 0.26 * 127 = 33.02 -> 33, 0 -> 0.
     * Row 2: absmax 3, scale 3/127; -3 -> -127, 1.52 * 127/3 = 64.35 -> 64, 0.75 * 127/3 = 31.75 -> 32,
     * 0.1 * 127/3 = 4.23 -> 4. Each row has its own scale (per output channel).
     */
    @Test
    void int8CodesOfATwoByFourMatrix() {
        float[] w = {1.0f, -0.502f, 0.26f, 0.0f, -3.0f, 1.52f, 0.75f, 0.1f};
        double[] expected = {127 / 127.0, -64 / 127.0, 33 / 127.0, 0, -3.0, 64 * 3 / 127.0, 32 * 3 / 127.0,
            4 * 3 / 127.0};
        assertClose(expected, WeightQuantization.roundTrip(w, 2, 4, Format.INT8, QuantizeSettings.defaults()));
    }

    /**
     * One row of 8 in groups of 4. Group 1: absmax 0.7, scale 0.1; 0.7 -> 7, -0.33 -> -3, 0.1 -> 1, 0 -> 0.
     * Group 2: absmax 1.4, scale 0.2; -1.4 -> -7, 0.52 -> 2.6 -> 3, 0.29 -> 1.45 -> 1, 1.0 -> 5.
     */
    @Test
    void int4CodesPerGroup() {
        float[] w = {0.7f, -0.33f, 0.1f, 0f, -1.4f, 0.52f, 0.29f, 1.0f};
        double[] expected = {0.7, -0.3, 0.1, 0, -1.4, 0.6, 0.2, 1.0};
        assertClose(expected, WeightQuantization.roundTrip(w, 1, 8, Format.INT4, GROUPS_OF_4));
    }

    /**
     * Block absmax 2; normalised 1, 0.5, -0.1, 0.04. Nearest NF4 values: 1; 0.4407 (0.0593 away, 0.5626 is
     * 0.0626 away); -0.0911 (-0.1848 is 0.0848 away); 0.0796 (0.04 is past the midpoint 0.0398 from 0).
     */
    @Test
    void nf4RoundsToTheNearestCodeTimesTheBlockAbsmax() {
        float[] w = {2.0f, 1.0f, -0.2f, 0.08f};
        double[] expected = {2.0, 2 * 0.44070982933044434, 2 * -0.09105003625154495, 2 * 0.07958029955625534};
        assertClose(expected, WeightQuantization.roundTrip(w, 1, 4, Format.NF4, GROUPS_OF_4));
    }

    /**
     * QLoRA's construction of NF4 (as bitsandbytes' create_normal_map builds it): standard normal quantiles at
     * 8 evenly spaced probabilities from 0.9677083 towards 0.5 for the positive half, 7 for the negative half,
     * an exact zero, all divided by the largest.
     */
    @Test
    void nf4TableIsTheNormalQuantilesOfQlora() {
        double offset = 0.9677083;
        NormalDistribution normal = new NormalDistribution();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            values.add(normal.inverseCumulativeProbability(offset + (0.5 - offset) * i / 8));
        }
        for (int i = 0; i < 7; i++) {
            values.add(-normal.inverseCumulativeProbability(offset + (0.5 - offset) * i / 7));
        }
        values.add(0.0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double[] expected = values.stream().mapToDouble(v -> v / max).sorted().toArray();
        assertClose(expected, WeightQuantization.NF4.stream().mapToDouble(Double::doubleValue).toArray(), 1e-6);
    }

    /** Every weight lands within half a step of itself: scale / 2 for the integers, half the widest NF4 gap. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void errorIsAtMostHalfAStep(Format format) {
        int rows = 6;
        int columns = 20;
        float[] w = randomMatrix(rows, columns, 3);
        float[] q = WeightQuantization.roundTrip(w, rows, columns, format, GROUPS_OF_4);
        int group = format == Format.INT8 ? columns : 4;
        double widestGap = 0;
        for (int i = 1; i < WeightQuantization.NF4.size(); i++) {
            widestGap = Math.max(widestGap, WeightQuantization.NF4.get(i) - WeightQuantization.NF4.get(i - 1));
        }
        for (int i = 0; i < w.length; i++) {
            int from = i / group * group;
            double absmax = WeightQuantization.absmax(w, from, from + group);
            double halfStep = format == Format.NF4 ? absmax * widestGap / 2
                    : absmax / (format == Format.INT8 ? 127 : 7) / 2;
            assertTrue(Math.abs(w[i] - q[i]) <= halfStep * (1 + 1e-6), format + " weight " + i);
        }
    }

    /** The grid keeps every group's absmax, so a quantized matrix is its own quantization, bit for bit. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void quantizingTwiceChangesNothing(Format format) {
        float[] w = randomMatrix(4, 16, 5);
        float[] once = WeightQuantization.roundTrip(w, 4, 16, format, GROUPS_OF_4);
        assertNotEquals(0, maxDifference(w, once), "the weights are not on the grid to begin with");
        assertArrayEquals(once, WeightQuantization.roundTrip(once, 4, 16, format, GROUPS_OF_4));
    }

    @Test
    void inputIsLeftAsItWasAndZeroGroupsStayZero() {
        float[] w = {0.3f, -0.2f, 0f, 0f};
        float[] copy = w.clone();
        float[] q = WeightQuantization.roundTrip(w, 2, 2, Format.INT4, new QuantizeSettings(2, 2));
        assertArrayEquals(copy, w);
        assertEquals(0f, q[2]);
        assertEquals(0f, q[3]);
    }

    /** Finer formats are closer: int8 per row beats int4 and NF4 on the same normal weights. */
    @Test
    void int8IsTheMostAccurate() {
        float[] w = randomMatrix(8, 256, 9);
        double int8 = meanSquaredError(w, WeightQuantization.roundTrip(w, 8, 256, Format.INT8,
                QuantizeSettings.defaults()));
        for (Format f : List.of(Format.INT4, Format.NF4)) {
            double e = meanSquaredError(w, WeightQuantization.roundTrip(w, 8, 256, f, QuantizeSettings.defaults()));
            assertTrue(int8 * 10 < e, f + ": " + e + " vs int8 " + int8);
        }
    }

    static float[] randomMatrix(int rows, int columns, long seed) {
        Random random = new Random(seed);
        float[] w = new float[rows * columns];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.05);
        }
        return w;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double meanSquaredError(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static void assertClose(double[] expected, float[] actual) {
        double[] widened = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            widened[i] = actual[i];
        }
        assertClose(expected, widened, 1e-6);
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }
}
