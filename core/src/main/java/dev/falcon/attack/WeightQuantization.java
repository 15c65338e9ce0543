package dev.falcon.attack;

import java.util.Arrays;
import java.util.List;

/**
 * Round-to-nearest weight quantization, simulated: a weight matrix goes to a low-bit format and
 * straight back to floats ("fake quantization"), which is what a model loaded in that format
 * computes with. Each format splits every row of an [out, in] matrix (one output channel) into
 * groups of consecutive weights and gives each group one scale, its absolute maximum (absmax):
 * <ul>
 *   <li>{@link Format#INT8}: one group per row, integers -127..127 (bitsandbytes' vector-wise int8);</li>
 *   <li>{@link Format#INT4}: groups of {@link QuantizeSettings#groupSize}, integers -7..7. GPTQ's
 *       symmetric quantizer has 16 levels (-8..7) and a scale of 2 absmax / 15; the 15 symmetric levels
 *       used here keep the largest weight exact, so that quantizing twice changes nothing;</li>
 *   <li>{@link Format#NF4}: groups of {@link QuantizeSettings#nf4BlockSize}, each weight / absmax
 *       rounded to the nearest of the 16 NormalFloat4 values of QLoRA.</li>
 * </ul>
 * Integer codes are round(w / scale) with scale = absmax / levels, ties to even as torch.round;
 * an all-zero group stays zero.
 */
public final class WeightQuantization {

    /**
     * The NF4 data type, Dettmers et al. 2023 ("QLoRA: Efficient Finetuning of Quantized LLMs",
     * Appendix E; bitsandbytes' get_4bit_type("nf4")): quantiles of a standard normal scaled to
     * [-1, 1], with an exact zero.
     */
    public static final List<Double> NF4 = List.of(
            -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
            -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
            0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
            0.44070982933044434, 0.5626170039176941, 0.7229568362236328, 1.0);

    private static final double[] NF4_VALUES = NF4.stream().mapToDouble(Double::doubleValue).toArray();

    /** A weight format, by its budget label. */
    public enum Format {
        INT8("8", 127),
        INT4("4-int", 7),
        NF4("4-nf4", 0);

        private final String label;
        private final int levels;

        Format(String label, int levels) {
            this.label = label;
            this.levels = levels;
        }

        /** "8", "4-int" or "4-nf4", as budgets name the format. */
        public String label() {
            return label;
        }

        /** The group size of this format on rows of {@code columns} weights. */
        int groupSize(int columns, QuantizeSettings s) {
            return switch (this) {
                case INT8 -> columns;
                case INT4 -> s.groupSize();
                case NF4 -> s.nf4BlockSize();
            };
        }
    }

    private WeightQuantization() {
    }

    /**
     * The weights of a row-major [rows, columns] matrix after quantizing to {@code format} and back;
     * {@code weights} itself is left as it was.
     */
    public static float[] roundTrip(float[] weights, int rows, int columns, Format format, QuantizeSettings s) {
        if ((long) rows * columns != weights.length) {
            throw new IllegalArgumentException(weights.length + " weights are not a " + rows + "x" + columns
                    + " matrix");
        }
        float[] out = weights.clone();
        int group = format.groupSize(columns, s);
        for (int r = 0; r < rows; r++) {
            for (int start = 0; start < columns; start += group) {
                int from = r * columns + start;
                roundTripGroup(out, from, from + Math.min(group, columns - start), format);
            }
        }
        return out;
    }

    /** The largest |w| of the group, its scale before division by the format's levels. */
    static double absmax(float[] w, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(w[i]));
        }
        return max;
    }

    private static void roundTripGroup(float[] w, int from, int to, Format format) {
        double absmax = absmax(w, from, to);
        if (absmax == 0) {
            return;
        }
        for (int i = from; i < to; i++) {
            w[i] = (float) (format == Format.NF4 ? nearestNf4(w[i] / absmax) * absmax
                    : integerCode(w[i], absmax / format.levels, format.levels) * (absmax / format.levels));
        }
    }

    /**
     * round(w / scale), clamped to the format's levels (only rounding error can take it past them); + 0.0
     * turns rint's negative zero into zero, so that a weight rounded to zero is stored as 0 whatever its sign.
     */
    static double integerCode(double w, double scale, int levels) {
        return Math.max(-levels, Math.min(levels, Math.rint(w / scale))) + 0.0;
    }

    /** The NF4 value nearest to {@code x} in [-1, 1], the lower of two at equal distance. */
    static double nearestNf4(double x) {
        int at = Arrays.binarySearch(NF4_VALUES, x);
        if (at >= 0) {
            return NF4_VALUES[at];
        }
        int above = -at - 1;
        if (above == 0) {
            return NF4_VALUES[0];
        }
        if (above == NF4_VALUES.length) {
            return NF4_VALUES[NF4_VALUES.length - 1];
        }
        double lower = NF4_VALUES[above - 1];
        double upper = NF4_VALUES[above];
        return x - lower <= upper - x ? lower : upper;
    }
}
