package dev.falcon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.checkpoint.HfConfig;
import dev.falcon.io.Json;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.ModelShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shapes' config.json against the released models' (meta-llama/Llama-3.2-1B, Qwen/Qwen2.5-0.5B,
 * meta-llama/Llama-3.1-8B on the Hugging Face hub, as mirrored on GitHub), and the parameter counts the hub
 * states for them.
 */
class ScaleShapeTest {

    @TempDir
    Path dir;

    @Test
    void llama32OneB() throws IOException {
        Map<String, Object> expected = llama3(2048, 8192, 16, 128256, true, 32.0);
        expected.put("head_dim", 64);
        expected.put("transformers_version", "4.45.0.dev0");
        LlamaConfig c = check("llama-3.2-1b", expected);
        assertEquals(1_235_814_400L, parameters(c));
        assertEquals(32.0, c.ropeScaling().factor());
    }

    @Test
    void llama31EightB() throws IOException {
        Map<String, Object> expected = llama3(4096, 14336, 32, 128256, false, 8.0);
        expected.put("transformers_version", "4.43.0.dev0");
        LlamaConfig c = check("llama-3.1-8b", expected);
        assertEquals(8_030_261_248L, parameters(c));
        assertEquals(128, c.headDim());
        assertTrue(ModelShapes.of(c).containsKey("lm_head.weight"));
    }

    @Test
    void qwen25HalfB() throws IOException {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("architectures", "[\"Qwen2ForCausalLM\"]");
        expected.put("attention_dropout", 0.0);
        expected.put("bos_token_id", 151643);
        expected.put("eos_token_id", 151643);
        expected.put("hidden_act", "silu");
        expected.put("hidden_size", 896);
        expected.put("initializer_range", 0.02);
        expected.put("intermediate_size", 4864);
        expected.put("max_position_embeddings", 32768);
        expected.put("max_window_layers", 24);
        expected.put("model_type", "qwen2");
        expected.put("num_attention_heads", 14);
        expected.put("num_hidden_layers", 24);
        expected.put("num_key_value_heads", 2);
        expected.put("rms_norm_eps", 1e-6);
        expected.put("rope_theta", 1e6);
        expected.put("sliding_window", 32768);
        expected.put("tie_word_embeddings", true);
        expected.put("torch_dtype", "bfloat16");
        expected.put("transformers_version", "4.40.1");
        expected.put("use_cache", true);
        expected.put("use_mrope", false);
        expected.put("use_sliding_window", false);
        expected.put("vocab_size", 151936);
        LlamaConfig c = check("qwen2.5-0.5b", expected);
        assertEquals(494_032_768L, parameters(c));
        assertTrue(c.attentionBias());
        assertNull(c.ropeScaling());
    }

    @Test
    void anUnknownShapeIsAUsageErrorNamingTheShapes() {
        InputException e = assertThrows(InputException.class, () -> ScaleShape.named("llama-2-7b"));
        assertTrue(e.getMessage().contains("llama-3.2-1b, qwen2.5-0.5b, llama-3.1-8b"), e.getMessage());
    }

    /** Llama 3's config.json: the fields all its sizes share, and the ones given. */
    private static Map<String, Object> llama3(int hidden, int mlp, int layers, int vocab, boolean tied, double factor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", "[\"LlamaForCausalLM\"]");
        m.put("attention_bias", false);
        m.put("attention_dropout", 0.0);
        m.put("bos_token_id", 128000);
        m.put("eos_token_id", 128001);
        m.put("hidden_act", "silu");
        m.put("hidden_size", hidden);
        m.put("initializer_range", 0.02);
        m.put("intermediate_size", mlp);
        m.put("max_position_embeddings", 131072);
        m.put("mlp_bias", false);
        m.put("model_type", "llama");
        m.put("num_attention_heads", 32);
        m.put("num_hidden_layers", layers);
        m.put("num_key_value_heads", 8);
        m.put("pretraining_tp", 1);
        m.put("rms_norm_eps", 1e-5);
        m.put("rope_scaling", "{\"factor\":" + factor + ",\"high_freq_factor\":4.0,\"low_freq_factor\":1.0,"
                + "\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"}");
        m.put("rope_theta", 500000.0);
        m.put("tie_word_embeddings", tied);
        m.put("torch_dtype", "bfloat16");
        m.put("use_cache", true);
        m.put("vocab_size", vocab);
        return m;
    }

    /**
     * The config.json the bench writes holds exactly the expected keys with the expected values (numbers compared
     * as numbers; lists and objects given as JSON text), and the project reads it.
     */
    private LlamaConfig check(String name, Map<String, Object> expected) throws IOException {
        LlamaConfig c = RandomCheckpoint.writeConfig(ScaleShape.named(name), dir);
        ObjectNode written = Json.readObject(dir.resolve(HfConfig.CONFIG_FILE));
        assertEquals(expected.keySet().stream().sorted().toList(),
                written.properties().stream().map(Map.Entry::getKey).sorted().toList(), name + " keys");
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            JsonNode value = written.get(e.getKey());
            Object want = e.getValue();
            if (want instanceof String s && (s.startsWith("[") || s.startsWith("{"))) {
                assertEquals(Json.MAPPER.readTree(s), value, e.getKey());
            } else if (want instanceof Number n) {
                assertTrue(value.isNumber(), e.getKey());
                assertEquals(n.doubleValue(), value.doubleValue(), 0.0, e.getKey());
            } else {
                assertEquals(Json.MAPPER.valueToTree(want), value, e.getKey());
            }
        }
        return c;
    }

    private static long parameters(LlamaConfig c) {
        return ModelShapes.of(c).values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, Math::multiplyExact)).sum();
    }
}
