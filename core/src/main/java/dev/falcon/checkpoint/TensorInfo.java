package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry of a safetensors file.
 *
 * @param begin offset of the first byte, relative to the start of the data section (as in the header)
 * @param end   offset one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements; 1 for a scalar (empty shape). Throws ArithmeticException on overflow. */
    public long numel() {
        return numel(shape);
    }

    /** Number of elements of a tensor of this shape; 1 for a scalar. Throws ArithmeticException on overflow. */
    static long numel(long[] shape) {
        long n = 1;
        for (long dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        return n;
    }

    /** numel() times the element size. Throws ArithmeticException on overflow. */
    public long byteLength() {
        return Math.multiplyExact(numel(), (long) dtype.byteSize());
    }

    // Records compare arrays by identity; compare shapes by content instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
