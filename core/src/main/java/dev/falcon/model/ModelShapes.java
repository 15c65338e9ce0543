package dev.falcon.model;

import dev.falcon.engine.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameter names and shapes a config implies, in Hugging Face naming and nn.Linear layout. */
public final class ModelShapes {

    private ModelShapes() {
    }

    /** Every parameter of the model, in a stable order (embedding, blocks in order, final norm, head). */
    public static Map<String, long[]> of(LlamaConfig c) {
        long d = c.hiddenSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(LlamaModel.EMBED, new long[] {c.vocabSize(), d});
        for (int l = 0; l < c.numLayers(); l++) {
            for (Map.Entry<String, long[]> e : block(c).entrySet()) {
                m.put(LlamaModel.layerParam(l, e.getKey()), e.getValue());
            }
        }
        m.put(LlamaModel.FINAL_NORM, new long[] {d});
        if (!c.tieWordEmbeddings()) {
            m.put(LlamaModel.LM_HEAD, new long[] {c.vocabSize(), d});
        }
        return m;
    }

    /** The parameters of one decoder block, by their name inside it ({@code mlp.down_proj.weight}). */
    public static Map<String, long[]> block(LlamaConfig c) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("input_layernorm.weight", new long[] {d});
        m.put("self_attn.q_proj.weight", new long[] {q, d});
        m.put("self_attn.k_proj.weight", new long[] {kv, d});
        m.put("self_attn.v_proj.weight", new long[] {kv, d});
        if (c.attentionBias()) {
            m.put("self_attn.q_proj.bias", new long[] {q});
            m.put("self_attn.k_proj.bias", new long[] {kv});
            m.put("self_attn.v_proj.bias", new long[] {kv});
        }
        m.put("self_attn.o_proj.weight", new long[] {d, q});
        if (c.outputBias()) {
            m.put("self_attn.o_proj.bias", new long[] {d});
        }
        m.put("post_attention_layernorm.weight", new long[] {d});
        m.put("mlp.gate_proj.weight", new long[] {c.intermediateSize(), d});
        m.put("mlp.up_proj.weight", new long[] {c.intermediateSize(), d});
        m.put("mlp.down_proj.weight", new long[] {d, c.intermediateSize()});
        return m;
    }

    /** Fails with a message naming the first missing or misshapen parameter. */
    static void check(LlamaConfig c, Map<String, Tensor> params) {
        for (Map.Entry<String, long[]> e : of(c).entrySet()) {
            Tensor p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!Arrays.equals(p.shape(), e.getValue())) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + Arrays.toString(p.shape())
                        + ", config implies " + Arrays.toString(e.getValue()));
            }
        }
    }
}
