package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.Json;

/** A Llama of hidden size 64 and 2 layers for end-to-end runs of the scale bench in seconds. */
final class TinyScaleShape {

    private TinyScaleShape() {
    }

    /** Vocabulary 600: the tokenizer's 5 fixed tokens, the prompt words and pseudo-words. */
    static ScaleShape create() {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama").put("hidden_act", "silu").put("hidden_size", 64).put("intermediate_size", 128)
                .put("num_hidden_layers", 2).put("num_attention_heads", 4).put("num_key_value_heads", 2)
                .put("rms_norm_eps", 1e-5).put("rope_theta", 10000.0).put("vocab_size", 600)
                .put("max_position_embeddings", 512).put("tie_word_embeddings", false)
                .put("torch_dtype", "bfloat16").put("bos_token_id", 1).put("eos_token_id", 2);
        return new ScaleShape("tiny", c, new ScaleShape.Workload(2, 2, 32, 3, 4));
    }
}
