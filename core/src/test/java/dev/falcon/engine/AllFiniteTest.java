package dev.falcon.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** allFinite checks a large tensor a slice at a time: a bad value is found in any slice, the last one too. */
class AllFiniteTest {

    /** More elements than one slice (4M), with a short last slice. */
    private static final long ROWS = 3;
    private static final long COLS = 1_500_001;

    private static Tensor withValueAt(DType dtype, double value, long row, long col) {
        Tensor ones = Tensor.ones(dtype, ROWS, COLS);
        Tensor bad = Tensor.full(dtype, value, 1, 1);
        Tensor rowWithBad = Tensor.cat(List.of(ones.narrow(0, row, 1).narrow(1, 0, col), bad,
                ones.narrow(0, row, 1).narrow(1, col + 1, COLS - col - 1)), 1);
        return Tensor.cat(List.of(ones.narrow(0, 0, row), rowWithBad, ones.narrow(0, row + 1, ROWS - row - 1)), 0);
    }

    @Test
    void aTensorOfOnesIsFinite() {
        try (Engine.Scope s = Engine.scope()) {
            assertTrue(Tensor.ones(DType.BF16, ROWS, COLS).allFinite());
            assertTrue(withValueAt(DType.F32, 3.0e38, 2, COLS - 1).allFinite());
        }
    }

    @Test
    void aNanOrInfinityInAnySliceIsFound() {
        try (Engine.Scope s = Engine.scope()) {
            for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                assertFalse(withValueAt(dtype, Double.NaN, 0, 0).allFinite(), dtype + " NaN first");
                assertFalse(withValueAt(dtype, Double.POSITIVE_INFINITY, 2, 1_300_000).allFinite(), dtype + " inside the second slice");
                assertFalse(withValueAt(dtype, Double.NEGATIVE_INFINITY, 2, COLS - 1).allFinite(), dtype + " last");
            }
        }
    }
}
