package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForgetRetainLossTest {

    @Test
    void anAllPaddingBatchGivesAFiniteLossWithoutGradient() {
        Tensor x = Tensor.ones(DType.F32, 1, 3, 4).requiresGrad(true);
        Tensor y = Tensor.full(DType.F32, -1, 1, 3, 4);
        Tensor none = Tensor.zeros(DType.I64, 1, 3);
        // Unmasked, cos = -1 everywhere: alpha * (1 - (-1)) = 2 alpha.
        assertEquals(6.0, new RetentionLoss(3).loss(x, y, null).item(), 1e-6);
        Tensor loss = new RetentionLoss(3).loss(x, y, none).add(new ContrastiveForgetLoss(0.7).loss(x, y, y, none));
        assertTrue(Double.isFinite(loss.item()));
        assertEquals(0.0, loss.gradients(List.of(x), false)[0].abs().sum().item());
    }

    @Test
    void mismatchedShapesAreRejected() {
        Tensor x = Tensor.ones(DType.F32, 1, 3, 4);
        assertThrows(IllegalArgumentException.class,
                () -> new RetentionLoss(1).loss(x, Tensor.ones(DType.F32, 1, 2, 4), null));
        assertThrows(IllegalArgumentException.class,
                () -> new ContrastiveForgetLoss(0.7).loss(x, x, x, Tensor.ones(DType.I64, 3, 1)));
    }
}
