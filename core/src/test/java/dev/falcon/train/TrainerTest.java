package dev.falcon.train;

import dev.falcon.InputException;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final LmBatches.Sequence SEQUENCE =
            new LmBatches.Sequence(new int[] {1, 5, 9, 3, 12, 7, 4, 14, 6, 10, 2}, 1);

    private static TrainSettings constantLr(int steps, double lr, long seed) {
        return new TrainSettings(1, steps, lr, 4, 0, LearningRateSchedule.Shape.CONSTANT, 64, seed, 1.0, 0.01);
    }

    @Test
    void memorisingOneSequenceDrivesTheLossDown() {
        LlamaModel model = TinyModels.create(0);
        List<TrainLog.Step> seen = new ArrayList<>();
        TrainLog log = new Trainer(constantLr(100, 1e-2, 0)).train(model, List.copyOf(model.paramNames()),
                Collections.nCopies(4, SEQUENCE), 0, (step, total) -> seen.add(step));
        assertNull(log.stoppedEarly());
        assertEquals(100, log.steps().size());
        assertEquals(log.steps(), seen, "the listener sees every step");
        double first = log.steps().get(0).loss();
        double last = log.steps().get(99).loss();
        System.out.printf("loss %.4f -> %.4f%n", first, last);
        // A random model is near uniform over 16 tokens: ln 16 = 2.77.
        assertEquals(Math.log(TinyModels.VOCAB), first, 0.1);
        assertTrue(last < first / 20, "loss " + first + " -> " + last);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedAnotherOrder() {
        List<LmBatches.Sequence> data = List.of(SEQUENCE, new LmBatches.Sequence(new int[] {1, 4, 4, 8}, 1),
                new LmBatches.Sequence(new int[] {1, 13, 11, 7, 5, 3}, 2), new LmBatches.Sequence(new int[] {1, 6}, 1),
                new LmBatches.Sequence(new int[] {1, 9, 8, 7}, 1));
        TrainSettings s = new TrainSettings(3, 0, 1e-2, 2, 0.2, LearningRateSchedule.Shape.COSINE, 64, 7, 0.5, 0.01);
        assertEquals(9, s.totalSteps(data.size()), "3 epochs of ceil(5 / 2) batches");
        byte[][] a = trainedWeights(s, data);
        byte[][] b = trainedWeights(s, data);
        byte[][] c = trainedWeights(new TrainSettings(3, 0, 1e-2, 2, 0.2, LearningRateSchedule.Shape.COSINE, 64, 8,
                0.5, 0.01), data);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "parameter " + i);
        }
        boolean anyDiffers = false;
        for (int i = 0; i < a.length; i++) {
            anyDiffers |= !java.util.Arrays.equals(a[i], c[i]);
        }
        assertTrue(anyDiffers, "another shuffling seed visits the batches in another order");
    }

    private static byte[][] trainedWeights(TrainSettings s, List<LmBatches.Sequence> data) {
        LlamaModel model = TinyModels.create(1);
        new Trainer(s).train(model, List.copyOf(model.paramNames()), data, 0, null);
        return model.paramNames().stream().map(n -> model.param(n).toBytes(DType.F32).array()).toArray(byte[][]::new);
    }

    @Test
    void onlyTheChosenParametersChange() {
        LlamaModel model = TinyModels.create(2);
        LlamaModel before = model.snapshot();
        String down = LlamaModel.layerParam(1, "mlp.down_proj.weight");
        new Trainer(constantLr(3, 1e-2, 0)).train(model, List.of(down), List.of(SEQUENCE), 0, null);
        for (String name : model.paramNames()) {
            boolean same = java.util.Arrays.equals(model.param(name).toFloats(), before.param(name).toFloats());
            assertEquals(!name.equals(down), same, name);
            assertFalse(model.param(name).requiresGrad(), name + " no longer tracks gradients");
        }
    }

    @Test
    void clippingScalesTheGlobalNormDownToTheLimit() {
        // Gradients [3, 4] and [12] have global norm sqrt(9 + 16 + 144) = 13; clipping at 6.5 scales
        // both by 6.5 / (13 + 1e-6), PyTorch's clip_grad_norm_ factor.
        Tensor g1 = Tensor.of(new float[] {3, 4}, 2);
        Tensor g2 = Tensor.of(new float[] {12}, 1);
        assertEquals(13.0, TrainingLoop.clipGlobalNorm(List.of(g1, g2), 6.5), 1e-6);
        double f = 6.5 / (13 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * f), (float) (4 * f)}, g1.toFloats(), 1e-6f);
        assertArrayEquals(new float[] {(float) (12 * f)}, g2.toFloats(), 1e-6f);
        // Now at norm 6.5: clipping off (0) or a higher limit leaves them as they are.
        assertEquals(6.5, TrainingLoop.clipGlobalNorm(List.of(g1, g2), 0), 1e-5);
        assertEquals(6.5, TrainingLoop.clipGlobalNorm(List.of(g1, g2), 100), 1e-5);
        assertArrayEquals(new float[] {(float) (12 * f)}, g2.toFloats(), 1e-6f);
    }

    @Test
    void tokensOutsideTheVocabularyAreRefused() {
        LlamaModel model = TinyModels.create(0);
        List<LmBatches.Sequence> bad = List.of(new LmBatches.Sequence(new int[] {1, 16}, 1));
        InputException e = assertThrows(InputException.class, () -> new Trainer(constantLr(1, 1e-3, 0))
                .train(model, List.copyOf(model.paramNames()), bad, 0, null));
        assertTrue(e.getMessage().contains("token id 16 is outside the model's vocabulary of 16"), e.getMessage());
        List<LmBatches.Sequence> empty = List.of(new LmBatches.Sequence(new int[] {1}, 1));
        assertThrows(InputException.class, () -> new Trainer(constantLr(1, 1e-3, 0))
                .train(model, List.copyOf(model.paramNames()), empty, 0, null));
        assertThrows(InputException.class, () -> new TrainSettings(1, 0, -1e-3, 8, 0.1,
                LearningRateSchedule.Shape.COSINE, 256, 42, 1, 0.01));
    }
}
