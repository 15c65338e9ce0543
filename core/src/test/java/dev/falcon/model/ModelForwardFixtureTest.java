package dev.falcon.model;

import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.SharedData;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.Llama2cCheckpoint;
import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stories260K through our forward against llama2.c's PyTorch model.py (fixtures/model). */
class ModelForwardFixtureTest {

    static LlamaModel model;

    @BeforeAll
    static void load() {
        Path bin = SharedData.data().resolve("models/stories260K/stories260K.bin");
        try (Llama2cCheckpoint src = Llama2cCheckpoint.open(bin)) {
            model = ModelLoader.load(src, DType.F32);
        }
    }

    @Test
    void hiddenStatesAndLogitsMatchReference() {
        Path file = SharedData.fixtures().resolve("model/stories260K_forward.safetensors");
        try (SafetensorsFile ref = SafetensorsFile.open(file); Engine.Guard g = Engine.noGrad()) {
            double hiddenWorst = 0;
            double logitsWorst = 0;
            int k = 0;
            while (ref.contains("input_ids." + k)) {
                int[] ids = java.util.Arrays.stream(ref.longs("input_ids." + k)).mapToInt(x -> (int) x).toArray();
                Batch b = Batch.single(ids);
                List<Tensor> hidden = model.hiddenStates(b);
                float[] expectedHidden = ref.floats("hidden." + k);
                float[] actualHidden = Tensor.stack(hidden, 0).toFloats();
                hiddenWorst = Math.max(hiddenWorst, assertClose(expectedHidden, actualHidden, 1e-4, "hidden." + k));
                logitsWorst = Math.max(logitsWorst,
                        assertClose(ref.floats("logits." + k), model.forward(b, null).toFloats(), 1e-4, "logits." + k));
                k++;
            }
            assertTrue(k > 0, "the fixture holds no input_ids.0");
            System.out.printf("stories260K forward, %d sequences: max |difference| hidden states %.3g, logits %.3g%n",
                    k, hiddenWorst, logitsWorst);
        }
    }

    @Test
    void paddedBatchGivesTheSameLogitsAsSingleSequences() {
        int[] a = {1, 403, 407, 261, 378, 432, 383};
        int[] c = {1, 346, 306, 414};
        try (Engine.Guard g = Engine.noGrad()) {
            float[] alone = model.forward(Batch.single(c), null).toFloats();
            for (Batch.Padding padding : Batch.Padding.values()) {
                Tensor logits = model.forward(Batch.of(List.of(a, c), 0, padding), null);
                long start = padding == Batch.Padding.LEFT ? a.length - c.length : 0;
                float[] row = logits.select(0, 1).narrow(0, start, c.length).toFloats();
                assertClose(alone, row, 1e-4, "padded row, " + padding);
            }
        }
    }

    @Test
    void cachedGenerationMatchesFullForward() {
        int[] seq = {1, 403, 407, 261, 378, 432, 383, 286};
        try (Engine.Guard g = Engine.noGrad()) {
            float[] full = model.forward(Batch.single(seq), null).select(1, seq.length - 1).toFloats();
            KvCache cache = new KvCache(model.config().numLayers());
            model.forward(Batch.single(java.util.Arrays.copyOf(seq, 5)), cache);
            Tensor last = null;
            for (int i = 5; i < seq.length; i++) {
                last = model.forward(Batch.single(new int[] {seq[i]}), cache);
            }
            assertClose(full, last.toFloats(), 1e-5, "cached");
        }
    }

    /** Fails unless every element is within tol; returns the largest difference. */
    static double assertClose(float[] expected, float[] actual, double tol, String what) {
        double worst = maxAbsDifference(expected, actual, what);
        assertTrue(worst <= tol, what + ": max abs difference " + worst + " > " + tol);
        return worst;
    }

    /** The largest |expected - actual|; NaN if any element is NaN (Math.max propagates it), so that it fails. */
    static double maxAbsDifference(float[] expected, float[] actual, String what) {
        assertArrayEquals(new int[] {expected.length}, new int[] {actual.length}, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst;
    }
}
