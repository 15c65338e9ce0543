package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A model shape that {@code falcon bench scale} measures: the config.json of the released model, key for
 * key as transformers wrote it (from the models' Hugging Face repositories), and the work done on it.
 *
 * @param name     the --shape name
 * @param config   config.json's content
 * @param workload what the bench runs on the shape
 */
record ScaleShape(String name, ObjectNode config, Workload workload) {

    /**
     * @param unlearnSteps    FALCON steps (--max-batches)
     * @param batch           sequences per unlearning batch
     * @param tokens          tokens per unlearning sequence, BOS included
     * @param questions       lettered multiple-choice questions scored
     * @param generatedTokens tokens generated after the prompt
     */
    record Workload(int unlearnSteps, int batch, int tokens, int questions, int generatedTokens) {
    }

    static final List<String> NAMES = List.of("llama-3.2-1b", "qwen2.5-0.5b", "llama-3.1-8b");

    /** The workload for models that fit in memory twice over on a 24 GB machine. */
    static final Workload STANDARD = new Workload(4, 4, 256, 20, 32);
    /** Half of it for 8B, whose every step and question costs 8 times as much. */
    static final Workload LARGE = new Workload(2, 4, 128, 10, 32);

    /** meta-llama/Llama-3.2-1B: 1,235,814,400 parameters, tied embeddings, llama3 rope scaling (factor 32). */
    private static final String LLAMA_3_2_1B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 8192,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 16,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.45.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    /** Qwen/Qwen2.5-0.5B: 494,032,768 parameters, tied embeddings, biases on q, k and v. */
    private static final String QWEN2_5_0_5B = """
            {
              "architectures": ["Qwen2ForCausalLM"],
              "attention_dropout": 0.0,
              "bos_token_id": 151643,
              "eos_token_id": 151643,
              "hidden_act": "silu",
              "hidden_size": 896,
              "initializer_range": 0.02,
              "intermediate_size": 4864,
              "max_position_embeddings": 32768,
              "max_window_layers": 24,
              "model_type": "qwen2",
              "num_attention_heads": 14,
              "num_hidden_layers": 24,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-06,
              "rope_theta": 1000000.0,
              "sliding_window": 32768,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.40.1",
              "use_cache": true,
              "use_mrope": false,
              "use_sliding_window": false,
              "vocab_size": 151936
            }
            """;

    /** meta-llama/Llama-3.1-8B: 8,030,261,248 parameters, untied, llama3 rope scaling (factor 8). */
    private static final String LLAMA_3_1_8B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 8.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.43.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    ScaleShape {
        config = config.deepCopy();
    }

    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** One of {@link #NAMES}; anything else is a usage error naming them. */
    static ScaleShape named(String name) {
        return switch (name) {
            case "llama-3.2-1b" -> new ScaleShape(name, parse(LLAMA_3_2_1B), STANDARD);
            case "qwen2.5-0.5b" -> new ScaleShape(name, parse(QWEN2_5_0_5B), STANDARD);
            case "llama-3.1-8b" -> new ScaleShape(name, parse(LLAMA_3_1_8B), LARGE);
            default -> throw new InputException("--shape must be one of " + String.join(", ", NAMES) + "; got '"
                    + name + "'");
        };
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8), null);
    }
}
