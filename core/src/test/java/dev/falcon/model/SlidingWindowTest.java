package dev.falcon.model;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.falcon.model.ModelForwardFixtureTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mistral's sliding window, checked by properties that hold whatever the weights: a query sees itself and
 * the window - 1 tokens before it, and rotary embeddings depend only on distances.
 */
class SlidingWindowTest {

    private static final int WINDOW = 4;
    private static final int[] SEQ = {1, 17, 5, 42, 9, 33, 60, 7, 21, 12, 3};

    private static Engine.Guard noGrad;

    @BeforeAll
    static void noGrad() {
        noGrad = Engine.noGrad();
    }

    @AfterAll
    static void restore() {
        noGrad.close();
    }

    /** Larger weights than transformers' initialisation, so that attention is peaked and windows matter. */
    private static LlamaModel mistral(int layers, int window) {
        LlamaConfig c = new LlamaConfig("MistralForCausalLM", 32, 64, layers, 4, 2, 8, 64, 1e-5, 10000.0, null,
                false, false, 64, "float32", 1, 2, window);
        LlamaModel m = RandomModel.create(c, 7, DType.F32);
        for (String name : m.paramNames()) {
            if (!name.endsWith("norm.weight")) {
                m.setParam(name, m.param(name).mul(25));
            }
        }
        return m;
    }

    private static float[] logitsAt(LlamaModel m, int[] seq, int position) {
        return m.forward(Batch.single(seq), null).select(1, position).toFloats();
    }

    /** With one block, position i sees exactly tokens i-3..i, so a forward of those four alone agrees. */
    @Test
    void oneBlockSeesOnlyTheWindow() {
        LlamaModel m = mistral(1, WINDOW);
        Tensor full = m.forward(Batch.single(SEQ), null);
        for (int i = WINDOW - 1; i < SEQ.length; i++) {
            int[] window = Arrays.copyOfRange(SEQ, i - WINDOW + 1, i + 1);
            assertClose(logitsAt(m, window, WINDOW - 1), full.select(1, i).toFloats(), 1e-4, "position " + i);
        }
    }

    /** Two blocks: positions inside the first window are as with full attention, later ones are not. */
    @Test
    void theWindowChangesOnlyPositionsBeyondIt() {
        float[] windowed = mistral(2, WINDOW).forward(Batch.single(SEQ), null).toFloats();
        float[] full = mistral(2, 0).forward(Batch.single(SEQ), null).toFloats();
        int v = 64;
        assertClose(Arrays.copyOf(full, WINDOW * v), Arrays.copyOf(windowed, WINDOW * v), 1e-5, "first window");
        double differs = 0;
        for (int i = WINDOW * v; i < full.length; i++) {
            differs = Math.max(differs, Math.abs(full[i] - windowed[i]));
        }
        assertTrue(differs > 1e-2, "the window changed later positions by only " + differs);
    }

    /** Generation token by token through the cache gives the logits of the full windowed forward. */
    @Test
    void cachedGenerationKeepsTheWindow() {
        LlamaModel m = mistral(2, WINDOW);
        float[] full = m.forward(Batch.single(SEQ), null).toFloats();
        KvCache cache = new KvCache(2);
        Tensor first = m.forward(Batch.single(Arrays.copyOf(SEQ, 3)), cache);
        assertClose(Arrays.copyOf(full, 3 * 64), first.toFloats(), 1e-4, "prompt");
        for (int i = 3; i < SEQ.length; i++) {
            Tensor step = m.forward(Batch.single(new int[] {SEQ[i]}), cache);
            assertClose(Arrays.copyOfRange(full, i * 64, (i + 1) * 64), step.toFloats(), 1e-4, "token " + i);
        }
    }

    /** Padding on either side leaves a row's logits as they are unpadded: the window counts real tokens. */
    @Test
    void paddedRowsKeepTheirWindow() {
        LlamaModel m = mistral(2, WINDOW);
        int[] shorter = Arrays.copyOf(SEQ, 7);
        float[] alone = m.forward(Batch.single(shorter), null).toFloats();
        for (Batch.Padding padding : Batch.Padding.values()) {
            Tensor logits = m.forward(Batch.of(List.of(SEQ, shorter), 0, padding), null);
            long start = padding == Batch.Padding.LEFT ? SEQ.length - shorter.length : 0;
            assertClose(alone, logits.select(0, 1).narrow(0, start, shorter.length).toFloats(), 1e-4,
                    "padded " + padding);
        }
    }
}
