package dev.falcon.checkpoint;

import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.model.LlamaConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the config.json of a Hugging Face Llama, Mistral or Qwen2 model folder. Defaults
 * for absent fields are those of the transformers config classes; fields a loader requires without
 * a default in this project (sizes, eps, vocabulary, context length) must be present.
 */
public final class HfConfig {

    public static final String CONFIG_FILE = "config.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";

    private static final Map<String, String> MODEL_TYPES = Map.of(
            "LlamaForCausalLM", "llama",
            "MistralForCausalLM", "mistral",
            "Qwen2ForCausalLM", "qwen2");
    private static final Set<String> DTYPES = Set.of("float32", "bfloat16", "float16");

    private HfConfig() {
    }

    /** Reads {@code dir/config.json}; token ids in {@code dir/generation_config.json}, if present, win. */
    public static LlamaConfig read(Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Fields f = new Fields(Json.readObject(configFile), configFile);
        String architecture = architecture(f);
        int hidden = f.positiveInt("hidden_size", null);
        int heads = f.positiveInt("num_attention_heads", null);
        int kvHeads = f.positiveInt("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw f.problem("num_attention_heads " + heads + " is not divisible by num_key_value_heads " + kvHeads);
        }
        int headDim = f.isSet("head_dim") ? f.positiveInt("head_dim", null) : derivedHeadDim(f, hidden, heads);
        Fields generation = generationFields(dir);
        int vocab = f.positiveInt("vocab_size", null);
        // transformers 5 nests rope_theta and the scaling settings in "rope_parameters"
        Fields ropeParameters = f.object("rope_parameters");
        Fields ropeSource = ropeParameters != null ? ropeParameters : f;
        Fields scaling = ropeParameters != null ? ropeParameters : f.object("rope_scaling");
        return new LlamaConfig(architecture, hidden,
                f.positiveInt("intermediate_size", null),
                f.positiveInt("num_hidden_layers", null),
                heads, kvHeads, headDim, vocab,
                f.positiveDouble("rms_norm_eps", null),
                ropeSource.positiveDouble("rope_theta", 10000.0),
                ropeScaling(scaling),
                f.bool("tie_word_embeddings", false),
                attentionBias(f, architecture),
                f.positiveInt("max_position_embeddings", null),
                torchDtype(f),
                tokenId("bos_token_id", f, generation, vocab),
                tokenId("eos_token_id", f, generation, vocab),
                slidingWindow(f, architecture));
    }

    /**
     * Writes {@code dir/config.json} atomically, in the form transformers loads for the config's
     * architecture. Mistral always gets an explicit {@code sliding_window} (null for full attention),
     * since an absent one means 4096 to transformers.
     */
    public static void write(LlamaConfig c, Path dir) throws IOException {
        String modelType = MODEL_TYPES.get(c.architecture());
        if (modelType == null) {
            throw new IllegalArgumentException(unsupported(c.architecture()));
        }
        boolean biasExpressible = modelType.equals("llama") || c.attentionBias() == modelType.equals("qwen2");
        if (!biasExpressible) {
            throw new IllegalArgumentException(c.architecture() + " cannot have attentionBias=" + c.attentionBias());
        }
        if (c.slidingWindow() > 0 && !modelType.equals("mistral")) {
            throw new IllegalArgumentException(c.architecture() + " cannot have a sliding window");
        }
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), toJson(c, modelType));
    }

    private static String toJson(LlamaConfig c, String modelType) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putArray("architectures").add(c.architecture());
        root.put("model_type", modelType);
        root.put("hidden_act", "silu");
        root.put("hidden_size", c.hiddenSize());
        root.put("intermediate_size", c.intermediateSize());
        root.put("num_hidden_layers", c.numLayers());
        root.put("num_attention_heads", c.numHeads());
        root.put("num_key_value_heads", c.numKvHeads());
        root.put("head_dim", c.headDim());
        root.put("rms_norm_eps", c.rmsNormEps());
        root.put("rope_theta", c.ropeTheta());
        putRopeScaling(root, c.ropeScaling());
        root.put("vocab_size", c.vocabSize());
        root.put("max_position_embeddings", c.maxPositionEmbeddings());
        root.put("tie_word_embeddings", c.tieWordEmbeddings());
        switch (modelType) {
            case "llama" -> root.put("attention_bias", c.attentionBias());
            case "mistral" -> putSlidingWindow(root, c.slidingWindow());
            default -> root.put("use_sliding_window", false);
        }
        root.put("torch_dtype", c.torchDtype());
        putTokenId(root, "bos_token_id", c.bosTokenId());
        putTokenId(root, "eos_token_id", c.eosTokenId());
        return Json.pretty(root) + "\n";
    }

    private static void putRopeScaling(ObjectNode root, LlamaConfig.RopeScaling scaling) {
        if (scaling == null) {
            root.putNull("rope_scaling");
            return;
        }
        ObjectNode node = root.putObject("rope_scaling");
        node.put("rope_type", "llama3");
        node.put("factor", scaling.factor());
        node.put("low_freq_factor", scaling.lowFreqFactor());
        node.put("high_freq_factor", scaling.highFreqFactor());
        node.put("original_max_position_embeddings", scaling.originalMaxPositionEmbeddings());
    }

    private static void putSlidingWindow(ObjectNode root, int window) {
        if (window > 0) {
            root.put("sliding_window", window);
        } else {
            root.putNull("sliding_window");
        }
    }

    private static void putTokenId(ObjectNode root, String field, int id) {
        if (id >= 0) {
            root.put(field, id);
        }
    }

    private static String architecture(Fields f) {
        JsonNode list = f.get("architectures");
        if (list == null || !list.isArray() || list.isEmpty() || !list.get(0).isTextual()) {
            throw f.problem("architectures must be a non-empty list of names");
        }
        String architecture = list.get(0).textValue();
        if (!MODEL_TYPES.containsKey(architecture)) {
            throw f.problem(unsupported(architecture));
        }
        return architecture;
    }

    private static String unsupported(String architecture) {
        return "unsupported architecture " + architecture
                + " (supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM)";
    }

    private static int derivedHeadDim(Fields f, int hidden, int heads) {
        if (hidden % heads != 0) {
            throw f.problem("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads
                    + " and head_dim is not given");
        }
        return hidden / heads;
    }

    /**
     * Only Llama has the switch (biases on q, k, v and o); Mistral never has attention biases and Qwen2 always has
     * them on q, k and v. Llama's mlp_bias is refused rather than its biases silently left out.
     */
    private static boolean attentionBias(Fields f, String architecture) {
        if (f.bool("mlp_bias", false)) {
            throw f.problem("mlp_bias: true is not supported (biases on the MLP projections)");
        }
        return switch (architecture) {
            case "LlamaForCausalLM" -> f.bool("attention_bias", false);
            case "Qwen2ForCausalLM" -> true;
            default -> false;
        };
    }

    /**
     * Mistral attends within a sliding window of {@code sliding_window} tokens (transformers' default 4096;
     * null for full attention). Qwen2's optional sliding window covers only the layers from
     * {@code max_window_layers} on and is refused; no released Qwen2 model turns it on.
     */
    private static int slidingWindow(Fields f, String architecture) {
        return switch (architecture) {
            case "MistralForCausalLM" -> f.get("sliding_window") == null ? 4096
                    : f.isSet("sliding_window") ? f.positiveInt("sliding_window", null) : 0;
            case "Qwen2ForCausalLM" -> {
                if (f.bool("use_sliding_window", false)) {
                    throw f.problem("use_sliding_window: true is not supported (sliding attention in the layers from "
                            + "max_window_layers on)");
                }
                yield 0;
            }
            default -> 0;
        };
    }

    /** "default" is transformers' name for unscaled rotary embeddings, the same as none. */
    private static LlamaConfig.RopeScaling ropeScaling(Fields s) {
        if (s == null) {
            return null;
        }
        String type = s.isSet("rope_type") ? s.string("rope_type") : s.isSet("type") ? s.string("type") : "";
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw s.problem("unsupported rope_scaling type '" + type + "' (supported: llama3)");
        }
        double low = s.positiveDouble("low_freq_factor", null);
        double high = s.positiveDouble("high_freq_factor", null);
        if (low >= high) {
            throw s.problem("rope_scaling low_freq_factor " + low + " must be below high_freq_factor " + high);
        }
        return new LlamaConfig.RopeScaling(s.positiveDouble("factor", null), low, high,
                s.positiveInt("original_max_position_embeddings", null));
    }

    /** Newer transformers write "dtype" where older ones wrote "torch_dtype". */
    private static String torchDtype(Fields f) {
        String dtype = f.isSet("torch_dtype") ? f.string("torch_dtype") : f.isSet("dtype") ? f.string("dtype") : "float32";
        if (!DTYPES.contains(dtype)) {
            throw f.problem("unsupported torch_dtype '" + dtype + "' (supported: " + DTYPES + ")");
        }
        return dtype;
    }

    private static Fields generationFields(Path dir) {
        Path file = dir.resolve(GENERATION_CONFIG_FILE);
        return Files.exists(file) ? new Fields(Json.readObject(file), file) : null;
    }

    /** generation_config.json wins over config.json; a list (several eos ids) gives its first. */
    private static int tokenId(String field, Fields config, Fields generation, int vocab) {
        Fields source = generation != null && generation.isSet(field) ? generation : config;
        if (!source.isSet(field)) {
            return -1;
        }
        JsonNode node = source.get(field);
        if (node.isArray()) {
            if (node.isEmpty()) {
                return -1;
            }
            node = node.get(0);
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0 || node.intValue() >= vocab) {
            throw source.problem(field + " must be a token id in 0.." + (vocab - 1) + " or a list of them");
        }
        return node.intValue();
    }

    /** Typed access to one JSON object's fields; every type or range error names the file. */
    private record Fields(ObjectNode node, Path file) {

        JsonNode get(String field) {
            return node.get(field);
        }

        /** Present and not JSON null (Mistral writes "head_dim": null to mean "derive it"). */
        boolean isSet(String field) {
            JsonNode value = node.get(field);
            return value != null && !value.isNull();
        }

        int positiveInt(String field, Integer fallback) {
            if (!isSet(field)) {
                return required(field, fallback);
            }
            JsonNode value = node.get(field);
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() <= 0) {
                throw problem(field + " must be a positive integer, got " + brief(value));
            }
            return value.intValue();
        }

        double positiveDouble(String field, Double fallback) {
            if (!isSet(field)) {
                return required(field, fallback);
            }
            JsonNode value = node.get(field);
            if (!value.isNumber() || !(value.doubleValue() > 0) || Double.isInfinite(value.doubleValue())) {
                throw problem(field + " must be a positive number, got " + brief(value));
            }
            return value.doubleValue();
        }

        /** The nested object {@code field}, or null when absent or JSON null. */
        Fields object(String field) {
            if (!isSet(field)) {
                return null;
            }
            JsonNode value = node.get(field);
            if (!value.isObject()) {
                throw problem(field + " must be an object or null, got " + brief(value));
            }
            return new Fields((ObjectNode) value, file);
        }

        boolean bool(String field, boolean fallback) {
            if (!isSet(field)) {
                return fallback;
            }
            JsonNode value = node.get(field);
            if (!value.isBoolean()) {
                throw problem(field + " must be true or false, got " + brief(value));
            }
            return value.booleanValue();
        }

        String string(String field) {
            JsonNode value = node.get(field);
            if (!value.isTextual()) {
                throw problem(field + " must be a string, got " + brief(value));
            }
            return value.textValue();
        }

        /** Bad values are quoted in messages, but a fuzzed 20 MB string should not be. */
        private static String brief(JsonNode value) {
            String text = value.toString();
            return text.length() <= 80 ? text : text.substring(0, 80) + "...";
        }

        private <T> T required(String field, T fallback) {
            if (fallback == null) {
                throw problem("required field " + field + " is missing");
            }
            return fallback;
        }

        InputException problem(String problem) {
            return new InputException(file, problem);
        }
    }
}
