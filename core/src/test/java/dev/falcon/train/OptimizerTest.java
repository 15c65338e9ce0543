package dev.falcon.train;

import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    @Test
    void adamWTakesSignSizedStepsWithBiasCorrection() {
        // lr 0.1, wd 0.01. After t steps of a constant gradient g, m = (1 - 0.9^t) g and
        // v = (1 - 0.999^t) g^2, so the bias-corrected m_hat = g, v_hat = g^2 exactly and each step is
        // W <- 0.999 W - 0.1 g / (|g| + 1e-8):
        //   W = 1,    g = 0.5:   0.999 - 0.1 * 0.5 / 0.50000001 = 0.899000002
        //   W = -2,   g = -0.25: -1.998 + 0.1 * 0.25 / 0.25000001 = -1.898000004
        //   W = 0.5,  g = 0:     decay only, 0.4995
        //   W = 3,    g = 1e-3:  2.997 - 0.1 * 1e-3 / 1.00001e-3 = 2.897001000
        // and a second step from those values: 0.798101004, -1.796102008, 0.4990005, 2.794104999.
        Tensor w = Tensor.of(new float[] {1, -2, 0.5f, 3}, 4);
        Tensor g = Tensor.of(new float[] {0.5f, -0.25f, 0, 1e-3f}, 4);
        Optimizer adam = new AdamW(0.1);
        // Each step in its own scope, as a training loop runs them: the moments must outlive it.
        try (Engine.Scope s = Engine.scope()) {
            adam.step(List.of(w), List.of(g));
        }
        assertArrayEquals(new float[] {0.899000002f, -1.898000004f, 0.4995f, 2.897001f}, w.toFloats(), 1e-6f);
        try (Engine.Scope s = Engine.scope()) {
            adam.step(List.of(w), List.of(g));
        }
        assertArrayEquals(new float[] {0.798101004f, -1.796102008f, 0.4990005f, 2.794104999f}, w.toFloats(), 1e-6f);
    }

    @Test
    void optimizersAreChosenByName() {
        assertInstanceOf(SophiaG.class, Optimizer.byName("sophiag", 1e-3));
        assertInstanceOf(AdamW.class, Optimizer.byName("AdamW", 1e-3));
        InputException e = assertThrows(InputException.class, () -> Optimizer.byName("sgd", 1e-3));
        assertTrue(e.getMessage().contains("sgd"));
    }

    @Test
    void parametersMustKeepTheirShapesAcrossSteps() {
        Optimizer adam = new AdamW(0.1);
        adam.step(List.of(Tensor.zeros(DType.F32, 2)), List.of(Tensor.ones(DType.F32, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> adam.step(List.of(Tensor.zeros(DType.F32, 3)), List.of(Tensor.ones(DType.F32, 3))));
        assertThrows(IllegalArgumentException.class,
                () -> adam.step(List.of(Tensor.zeros(DType.F32, 2)), List.of()));
    }
}
