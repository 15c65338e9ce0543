package dev.falcon.model;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.falcon.model.ModelForwardFixtureTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which attention projections carry a bias: all four in Llama with attention_bias, q/k/v only in Qwen2. */
class AttentionBiasTest {

    private static final String O_BIAS = LlamaModel.layerParam(0, "self_attn.o_proj.bias");

    private static LlamaConfig config(String architecture) {
        return new LlamaConfig(architecture, 32, 64, 1, 4, 2, 8, 64, 1e-5, 10000.0, null, false, true, 64,
                "float32", 1, 2, 0);
    }

    /**
     * With o_proj and down_proj zeroed, a block adds exactly o_proj's bias to the residual stream, so the stream
     * after the block is the embedding plus that bias at every position.
     */
    @Test
    void llamaAddsTheOutputBiasToTheResidual() {
        try (Engine.Guard g = Engine.noGrad()) {
            LlamaModel m = RandomModel.create(config("LlamaForCausalLM"), 3, DType.F32);
            m.setParam(LlamaModel.layerParam(0, "self_attn.o_proj.weight"),
                    m.param(LlamaModel.layerParam(0, "self_attn.o_proj.weight")).zerosLike());
            m.setParam(LlamaModel.layerParam(0, "mlp.down_proj.weight"),
                    m.param(LlamaModel.layerParam(0, "mlp.down_proj.weight")).zerosLike());
            Tensor bias = m.param(O_BIAS).add(0.5);
            m.setParam(O_BIAS, bias);
            Batch b = Batch.single(new int[] {1, 7, 30, 2});
            float[] expected = m.embed(b.ids()).add(bias).toFloats();
            List<Tensor> hidden = m.hiddenStates(b);
            assertClose(expected, hidden.get(0).toFloats(), 1e-6, "stream after block 0");
        }
    }

    @Test
    void qwen2HasNoOutputBias() {
        assertTrue(ModelShapes.of(config("LlamaForCausalLM")).containsKey(O_BIAS));
        assertFalse(ModelShapes.of(config("Qwen2ForCausalLM")).containsKey(O_BIAS));
        assertTrue(ModelShapes.of(config("Qwen2ForCausalLM"))
                .containsKey(LlamaModel.layerParam(0, "self_attn.q_proj.bias")));
    }
}
