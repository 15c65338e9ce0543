package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official code's losses and gradients (fixtures/falcon/losses.safetensors). */
class ForgetRetainLossFixtureTest {

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
            checkLossAndGradient(f, "contrastive", value, anchor, "contrastive_loss", "contrastive_grad_anchor");
        }
    }

    @Test
    void retentionLossAndGradientMatchTheOfficialCode() {
        try (SafetensorsFile f = FalconFixtures.open("losses.safetensors")) {
            RetentionLoss loss = new RetentionLoss(Double.parseDouble(f.metadata().get("retention_weight")));
            Tensor updated = FalconFixtures.tensor(f, "retain_updated").requiresGrad(true);
            Tensor value = loss.loss(updated, FalconFixtures.tensor(f, "retain_frozen"), null);
            checkLossAndGradient(f, "retention", value, updated, "retention_loss", "retention_grad_updated");
        }
    }

    /** The loss against the file's value (relative) and its gradient with respect to input (absolute). */
    private static void checkLossAndGradient(SafetensorsFile f, String label, Tensor value, Tensor input,
                                             String lossName, String gradName) {
        double expected = f.floats(lossName)[0];
        assertEquals(expected, value.item(), LOSS_RTOL * Math.abs(expected));
        Tensor grad = value.gradients(List.of(input), false)[0];
        double err = FalconFixtures.maxAbsDiff(FalconFixtures.tensor(f, gradName), grad);
        System.out.printf("%s loss rel error %.3e, grad max abs error %.3e%n", label,
                Math.abs(value.item() - expected) / expected, err);
        assertTrue(err < GRAD_ATOL, label + " gradient max abs error " + err);
    }

    @Test
    void maskedLossesAverageOnlyRealTokens() {
        try (SafetensorsFile f = FalconFixtures.open("losses.safetensors")) {
            Tensor a = FalconFixtures.tensor(f, "anchor");
            Tensor p = FalconFixtures.tensor(f, "positive");
            Tensor n = FalconFixtures.tensor(f, "negatives");
            // The last sequence is padded after its first t - t/6 tokens: the masked loss must be the
            // token-weighted mean of the unmasked losses of every sequence's real tokens.
            int sequences = (int) a.size(0);
            int t = (int) a.size(1);
            int[] lengths = new int[sequences];
            Arrays.fill(lengths, t);
            lengths[sequences - 1] = t - Math.max(1, t / 6);
            Tensor mask = Tensor.ones(DType.I64, sequences, t);
            mask.select(0, sequences - 1).narrow(0, lengths[sequences - 1], t - lengths[sequences - 1]).zero_();
            ContrastiveForgetLoss forget = new ContrastiveForgetLoss(0.7);
            RetentionLoss retain = new RetentionLoss(100);
            double forgetSum = 0;
            double retainSum = 0;
            for (int b = 0; b < sequences; b++) {
                int len = lengths[b];
                forgetSum += len * forget.loss(part(a, b, len), part(p, b, len), part(n, b, len), null).item();
                retainSum += len * retain.loss(part(a, b, len), part(n, b, len), null).item();
            }
            int tokens = Arrays.stream(lengths).sum();
            double masked = forget.loss(a, p, n, mask).item();
            assertEquals(forgetSum / tokens, masked, 1e-6 * Math.abs(masked));
            double rMasked = retain.loss(a, n, mask).item();
            assertEquals(retainSum / tokens, rMasked, 1e-5 * Math.abs(rMasked));
        }
    }

    /** The first n tokens of sequence b, as a batch of one. */
    private static Tensor part(Tensor x, int b, int n) {
        return x.narrow(0, b, 1).narrow(1, 0, n);
    }
}
