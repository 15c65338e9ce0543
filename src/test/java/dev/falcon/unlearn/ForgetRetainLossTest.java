package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.io.DType;
import dev.falcon.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForgetRetainLossTest {

    private static final double LOSS_RTOL = 1e-5;
    private static final double GRAD_ATOL = 1e-5;

    @Test
    void contrastiveLossAndGradientMatchTheOfficialCode() {
        try (SafetensorsFile f = FalconFixtures.open("losses.safetensors")) {
            ContrastiveForgetLoss loss = new ContrastiveForgetLoss(
                    Double.parseDouble(f.metadata().get("temperature")));
            Tensor anchor = FalconFixtures.tensor(f, "anchor").requiresGrad(true);
            Tensor value = loss.loss(anchor, FalconFixtures.tensor(f, "positive"),
                    FalconFixtures.tensor(f, "negatives"), null);
            double expected = f.floats("contrastive_loss")[0];
            assertEquals(expected, value.item(), LOSS_RTOL * Math.abs(expected));
            Tensor grad = value.gradients(List.of(anchor), false)[0];
            double err = FalconFixtures.maxAbsDiff(FalconFixtures.tensor(f, "contrastive_grad_anchor"), grad);
            System.out.printf("contrastive loss rel error %.3e, grad max abs error %.3e%n",
                    Math.abs(value.item() - expected) / expected, err);
            assertTrue(err < GRAD_ATOL, "gradient max abs error " + err);
        }
    }

    @Test
    void retentionLossAndGradientMatchTheOfficialCode() {
        try (SafetensorsFile f = FalconFixtures.open("losses.safetensors")) {
            RetentionLoss loss = new RetentionLoss(Double.parseDouble(f.metadata().get("retention_weight")));
            Tensor updated = FalconFixtures.tensor(f, "retain_updated").requiresGrad(true);
            Tensor value = loss.loss(updated, FalconFixtures.tensor(f, "retain_frozen"), null);
            double expected = f.floats("retention_loss")[0];
            assertEquals(expected, value.item(), LOSS_RTOL * Math.abs(expected));
            Tensor grad = value.gradients(List.of(updated), false)[0];
            double err = FalconFixtures.maxAbsDiff(FalconFixtures.tensor(f, "retention_grad_updated"), grad);
            System.out.printf("retention loss rel error %.3e, grad max abs error %.3e%n",
                    Math.abs(value.item() - expected) / expected, err);
            assertTrue(err < GRAD_ATOL, "gradient max abs error " + err);
        }
    }

    @Test
    void maskedLossesAverageOnlyRealTokens() {
        try (SafetensorsFile f = FalconFixtures.open("losses.safetensors")) {
            Map<String, Tensor> t = Map.of("a", FalconFixtures.tensor(f, "anchor"),
                    "p", FalconFixtures.tensor(f, "positive"), "n", FalconFixtures.tensor(f, "negatives"));
            // Sequence 1 is padded after 20 of its 24 tokens: the masked loss must be the
            // token-weighted mean of the unmasked losses of sequence 0 (24 tokens) and of the first
            // 20 tokens of sequence 1.
            Tensor mask = Tensor.ones(DType.I64, 2, 24);
            mask.select(0, 1).narrow(0, 20, 4).zero_();
            ContrastiveForgetLoss forget = new ContrastiveForgetLoss(0.7);
            double seq0 = forget.loss(part(t.get("a"), 0, 24), part(t.get("p"), 0, 24),
                    part(t.get("n"), 0, 24), null).item();
            double seq1 = forget.loss(part(t.get("a"), 1, 20), part(t.get("p"), 1, 20),
                    part(t.get("n"), 1, 20), null).item();
            double masked = forget.loss(t.get("a"), t.get("p"), t.get("n"), mask).item();
            assertEquals((24 * seq0 + 20 * seq1) / 44, masked, 1e-6 * Math.abs(masked));

            RetentionLoss retain = new RetentionLoss(100);
            double r0 = retain.loss(part(t.get("a"), 0, 24), part(t.get("n"), 0, 24), null).item();
            double r1 = retain.loss(part(t.get("a"), 1, 20), part(t.get("n"), 1, 20), null).item();
            double rMasked = retain.loss(t.get("a"), t.get("n"), mask).item();
            assertEquals((24 * r0 + 20 * r1) / 44, rMasked, 1e-5 * Math.abs(rMasked));
        }
    }

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

    /** The first n tokens of sequence b, as a batch of one. */
    private static Tensor part(Tensor x, int b, int n) {
        return x.narrow(0, b, 1).narrow(1, 0, n);
    }
}
