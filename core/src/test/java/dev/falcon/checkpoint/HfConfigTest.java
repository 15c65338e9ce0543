package dev.falcon.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.InputException;
import dev.falcon.model.LlamaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configs below are abridged from the published config.json files of the named models. */
class HfConfigTest {

    private static final String LLAMA_32_1B = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": false,
             "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu",
             "hidden_size": 2048, "intermediate_size": 8192, "max_position_embeddings": 131072,
             "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
             "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0,
             "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
             "vocab_size": 128256}
            """;
    private static final String MISTRAL_7B_V03 = """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "head_dim": null,
             "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
             "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 1000000.0,
             "sliding_window": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32768}
            """;
    private static final String QWEN2_05B = """
            {"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643, "eos_token_id": 151643,
             "hidden_act": "silu", "hidden_size": 896, "intermediate_size": 4864, "max_position_embeddings": 131072,
             "max_window_layers": 24, "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24,
             "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072,
             "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_sliding_window": false,
             "vocab_size": 151936}
            """;

    @TempDir
    Path dir;

    /** Mistral 7B v0.3's config with a sliding window, as v0.1 has (the value as JSON text). */
    private static String mistralWithWindow(String window) {
        return MISTRAL_7B_V03.replace("\"sliding_window\": null", "\"sliding_window\": " + window);
    }

    private LlamaConfig read(String configJson) throws IOException {
        Files.writeString(dir.resolve("config.json"), configJson);
        return HfConfig.read(dir);
    }

    private void assertRejected(String configJson, String problem) throws IOException {
        Files.writeString(dir.resolve("config.json"), configJson);
        assertRejected(dir.resolve("config.json"), problem);
    }

    private void assertRejected(Path named, String problem) {
        InputException e = assertThrows(InputException.class, () -> HfConfig.read(dir));
        assertTrue(e.getMessage().startsWith(named + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void llama3WithRopeScalingAndGenerationConfigOverride() throws IOException {
        // Llama 3.2's generation_config.json lists three eos ids; the first one is taken
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 128000, \"eos_token_id\": [128009, 128001, 128008], \"do_sample\": true}");
        LlamaConfig expected = new LlamaConfig("LlamaForCausalLM", 2048, 8192, 16, 32, 8, 64, 128256, 1e-5,
                500000.0, new LlamaConfig.RopeScaling(32.0, 1.0, 4.0, 8192), true, false, 131072, "bfloat16",
                128000, 128009, 0);
        assertEquals(expected, read(LLAMA_32_1B));
    }

    @Test
    void mistralWithNullHeadDimDerivesItFromHiddenSize() throws IOException {
        // head_dim = 4096 / 32
        LlamaConfig expected = new LlamaConfig("MistralForCausalLM", 4096, 14336, 32, 32, 8, 128, 32768, 1e-5,
                1000000.0, null, false, false, 32768, "bfloat16", 1, 2, 0);
        assertEquals(expected, read(MISTRAL_7B_V03));
    }

    @Test
    void qwen2AlwaysHasAttentionBias() throws IOException {
        // head_dim = 896 / 14 = 64
        LlamaConfig expected = new LlamaConfig("Qwen2ForCausalLM", 896, 4864, 24, 14, 2, 64, 151936, 1e-6,
                1000000.0, null, true, true, 131072, "bfloat16", 151643, 151643, 0);
        assertEquals(expected, read(QWEN2_05B));
    }

    /** Written by transformers 5.18 save_pretrained: "dtype" and a nested "rope_parameters". */
    @Test
    void transformers5LayoutWithRopeParameters() throws IOException {
        LlamaConfig c = read("""
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 1,
              "dtype": "bfloat16",
              "eos_token_id": 2,
              "head_dim": 8,
              "hidden_act": "silu",
              "hidden_size": 64,
              "initializer_range": 0.02,
              "intermediate_size": 172,
              "max_position_embeddings": 256,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 8,
              "num_hidden_layers": 2,
              "num_key_value_heads": 2,
              "pad_token_id": null,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_parameters": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_theta": 500000.0,
                "rope_type": "llama3"
              },
              "tie_word_embeddings": false,
              "transformers_version": "5.18.0",
              "use_cache": true,
              "vocab_size": 512
            }
            """);
        assertEquals(new LlamaConfig("LlamaForCausalLM", 64, 172, 2, 8, 2, 8, 512, 1e-5, 500000.0,
                new LlamaConfig.RopeScaling(32.0, 1.0, 4.0, 8192), false, false, 256, "bfloat16", 1, 2, 0), c);
    }

    @Test
    void absentOptionalFieldsTakeTransformersDefaults() throws IOException {
        LlamaConfig c = read("""
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 172,
                 "num_hidden_layers": 2, "num_attention_heads": 8, "rms_norm_eps": 1e-5, "vocab_size": 512,
                 "max_position_embeddings": 256}
                """);
        assertEquals(new LlamaConfig("LlamaForCausalLM", 64, 172, 2, 8, 8, 8, 512, 1e-5, 10000.0, null, false,
                false, 256, "float32", -1, -1, 0), c);
    }

    @Test
    void writtenConfigReadsBackEqualForEachArchitecture() throws IOException {
        for (String json : new String[] {LLAMA_32_1B, MISTRAL_7B_V03, mistralWithWindow("4096"), QWEN2_05B}) {
            LlamaConfig original = read(json);
            Path out = Files.createDirectories(dir.resolve("out"));
            HfConfig.write(original, out);
            assertEquals(original, HfConfig.read(out));
        }
    }

    @Test
    void writtenConfigCarriesTheFieldsTransformersNeeds() throws IOException {
        HfConfig.write(read(MISTRAL_7B_V03), dir);
        JsonNode written = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("mistral", written.get("model_type").asText());
        assertEquals("MistralForCausalLM", written.get("architectures").get(0).asText());
        assertEquals("silu", written.get("hidden_act").asText());
        assertTrue(written.get("sliding_window").isNull());
        assertEquals(128, written.get("head_dim").asInt());
        assertEquals("bfloat16", written.get("torch_dtype").asText());
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        assertRejected(QWEN2_05B.replace("Qwen2ForCausalLM", "GPT2LMHeadModel"),
                "unsupported architecture GPT2LMHeadModel (supported: LlamaForCausalLM, MistralForCausalLM, "
                        + "Qwen2ForCausalLM)");
        assertRejected(QWEN2_05B.replace("[\"Qwen2ForCausalLM\"]", "[]"), "architectures must be a non-empty list");
    }

    @Test
    void brokenFiles() throws IOException {
        assertRejected(dir.resolve("config.json"), "file not found");
        assertRejected(QWEN2_05B.substring(0, 100), "invalid JSON");
        Files.write(dir.resolve("config.json"), new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        assertRejected(dir.resolve("config.json"), "not valid UTF-8");
        Files.writeString(dir.resolve("config.json"), QWEN2_05B);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"two\"}");
        assertRejected(dir.resolve("generation_config.json"), "eos_token_id must be a token id");
    }

    @Test
    void inconsistentOrMissingValues() throws IOException {
        assertRejected(QWEN2_05B.replace("\"vocab_size\": 151936", "\"vocab\": 1"), "required field vocab_size");
        assertRejected(QWEN2_05B.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4"),
                "num_attention_heads 14 is not divisible by num_key_value_heads 4");
        assertRejected(QWEN2_05B.replace("\"hidden_size\": 896", "\"hidden_size\": 900"),
                "hidden_size 900 is not divisible by num_attention_heads 14");
        assertRejected(QWEN2_05B.replace("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 0"),
                "num_hidden_layers must be a positive integer, got 0");
        assertRejected(QWEN2_05B.replace("\"num_hidden_layers\": 24", "\"num_hidden_layers\": \"24\""),
                "num_hidden_layers must be a positive integer");
        assertRejected(QWEN2_05B.replace("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"int4\""),
                "unsupported torch_dtype 'int4'");
        assertRejected(QWEN2_05B.replace("\"eos_token_id\": 151643", "\"eos_token_id\": 151936"),
                "eos_token_id must be a token id in 0..151935");
        assertRejected(LLAMA_32_1B.replace("\"llama3\"", "\"linear\""),
                "unsupported rope_scaling type 'linear' (supported: llama3)");
        assertRejected(LLAMA_32_1B.replace("\"low_freq_factor\": 1.0", "\"low_freq_factor\": 4.0"),
                "low_freq_factor 4.0 must be below high_freq_factor 4.0");
    }

    /** Llama's attention_bias covers o_proj too (transformers' LlamaAttention); mlp_bias is refused, not ignored. */
    @Test
    void llamaBiases() throws IOException {
        LlamaConfig biased = read(LLAMA_32_1B.replace("\"attention_bias\": false", "\"attention_bias\": true"));
        assertTrue(biased.attentionBias() && biased.outputBias());
        assertTrue(read(QWEN2_05B).attentionBias() && !read(QWEN2_05B).outputBias());
        assertRejected(LLAMA_32_1B.replace("\"attention_bias\": false", "\"mlp_bias\": true"),
                "mlp_bias: true is not supported");
    }

    /** An explicit head_dim may differ from hidden_size / heads (as in some Mistral models). */
    @Test
    void explicitHeadDimNeedNotMatchHiddenSize() throws IOException {
        LlamaConfig c = read(MISTRAL_7B_V03.replace("\"head_dim\": null", "\"head_dim\": 160"));
        assertEquals(160, c.headDim());
    }

    /**
     * Mistral 7B v0.1 attends within 4096 tokens, also when config.json does not say so (transformers'
     * default); v0.2 and later write null for full attention. Qwen2's window is off in the released models.
     */
    @Test
    void slidingWindowAsTransformersReadsIt() throws IOException {
        assertEquals(0, read(MISTRAL_7B_V03).slidingWindow());
        assertEquals(4096, read(MISTRAL_7B_V03.replace("\"sliding_window\": null, ", "")).slidingWindow());
        assertEquals(1024, read(mistralWithWindow("1024")).slidingWindow());
        assertEquals(0, read(QWEN2_05B).slidingWindow());
        assertEquals(0, read(LLAMA_32_1B).slidingWindow());
        assertRejected(mistralWithWindow("-1"), "sliding_window must be a positive integer, got -1");
        assertRejected(QWEN2_05B.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"),
                "use_sliding_window: true is not supported");
    }

    @Test
    void aMistralWindowIsWrittenAndOtherArchitecturesRefuseOne() throws IOException {
        LlamaConfig windowed = read(mistralWithWindow("4096"));
        Path out = Files.createDirectories(dir.resolve("windowed"));
        HfConfig.write(windowed, out);
        assertEquals(4096, new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("sliding_window")
                .asInt());
        LlamaConfig llama = read(LLAMA_32_1B);
        LlamaConfig windowedLlama = new LlamaConfig(llama.architecture(), llama.hiddenSize(), llama.intermediateSize(),
                llama.numLayers(), llama.numHeads(), llama.numKvHeads(), llama.headDim(), llama.vocabSize(),
                llama.rmsNormEps(), llama.ropeTheta(), llama.ropeScaling(), llama.tieWordEmbeddings(),
                llama.attentionBias(), llama.maxPositionEmbeddings(), llama.torchDtype(), llama.bosTokenId(),
                llama.eosTokenId(), 8);
        assertThrows(IllegalArgumentException.class, () -> HfConfig.write(windowedLlama, out));
    }
}
