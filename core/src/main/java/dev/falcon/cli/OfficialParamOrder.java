package dev.falcon.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which PyTorch lists a Hugging Face Llama/Mistral/Qwen2 block's parameters (attention
 * projections, MLP projections, then the two norms), which the official script's --param_ids index.
 */
final class OfficialParamOrder {

    private static final String[] ORDER = {
        "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
        "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight", "self_attn.o_proj.bias",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight", "input_layernorm.weight",
        "post_attention_layernorm.weight"};

    private OfficialParamOrder() {
    }

    static List<String> of(List<String> present) {
        List<String> out = new ArrayList<>();
        for (String name : ORDER) {
            if (present.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
