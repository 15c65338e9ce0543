package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.checkpoint.MappedWeights;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** --model, --tokenizer, --dtype and --memory, shared by every command that loads a model. */
final class ModelOptions {

    @Option(names = "--model", required = true, converter = ModelPathConverter.class,
            description = "A Hugging Face model folder (config.json + safetensors), a llama2.c .bin checkpoint, or "
                    + "a Hugging Face repo id (org/name[@revision]) already in the local Hugging Face cache.")
    Path model;

    @Option(names = "--tokenizer",
            description = "tokenizer.json (or its folder) or a llama2.c tokenizer .bin; default: the model's folder.")
    Path tokenizer;

    @Option(names = "--dtype", defaultValue = "auto",
            description = "Compute dtype: auto, f32, bf16 or f16. Default auto: bf16 for a checkpoint stored in BF16, "
                    + "else f32.")
    String dtype;

    /** The --dtype, with auto resolved against the checkpoint's stored dtype. */
    DType computeDtype(WeightSource source) {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "auto" -> ModelLoader.autoDtype(source);
            case "f32", "float32" -> DType.F32;
            case "bf16", "bfloat16" -> DType.BF16;
            case "f16", "float16" -> DType.F16;
            default -> throw new InputException("--dtype must be auto, f32, bf16 or f16, got '" + dtype + "'");
        };
    }

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Memory the model's weights may take, e.g. 3g or 3072m (k, m, g, t: KiB to TiB); past it, "
                    + "decoder blocks stream from the checkpoint, one at a time. Default: a quarter of the available "
                    + "memory (MemAvailable in /proc/meminfo, or the room under a container's cgroup limit where "
                    + "less).")
    String memory;

    /** The weights' memory budget in bytes: --memory, else a share of the available memory. */
    long memoryBudget() {
        return MemorySize.budget(memory);
    }

    /** The model on {@code source} as a cluster's executors open it, with the scorer's settings. */
    ScoringModel scoringModel(WeightSource source, boolean addBos, int batchSize) {
        return scoringModel(model, source, addBos, batchSize);
    }

    /** {@code other} (opened as {@code source}) as a cluster's executors open it, read with this tokenizer. */
    ScoringModel scoringModel(Path other, WeightSource source, boolean addBos, int batchSize) {
        return new ScoringModel(other.toAbsolutePath().toString(), tokenizerPath().toAbsolutePath().toString(),
                computeDtype(source), memory, addBos, batchSize);
    }

    /**
     * Also sets glibc's freed-memory policy for the model's size here, before the tokenizer is parsed, rather than
     * when the weights are mapped: parsing Llama 3's tokenizer.json under glibc's own policy left the 1B shape's
     * generation 45 MiB higher (2911 / 2928 against 2868 / 2881 MiB).
     */
    WeightSource openWeights() {
        WeightSource source = Checkpoints.open(model);
        try {
            Engine.holdFreedMemoryFor(HfCheckpointWriter.tensorBytes(source.config(), null, computeDtype(source)));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }

    /** The model on the source's weights, under the memory budget; says on stderr when blocks stream. */
    LlamaModel load(WeightSource source) {
        MappedWeights weights = ModelLoader.weights(source, computeDtype(source), memoryBudget());
        if (weights.stayingBlocks() < source.config().numLayers()) {
            System.err.println(weights.plan());
        }
        return new LlamaModel(source.config(), weights);
    }

    /** The tokenizer file: --tokenizer, else tokenizer.json or tokenizer.bin beside the weights. */
    Path tokenizerPath() {
        if (tokenizer != null) {
            return tokenizer;
        }
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        for (String name : new String[] {"tokenizer.json", "tokenizer.bin"}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new InputException(model, "no tokenizer.json or tokenizer.bin beside the model; pass --tokenizer");
    }

    /** The tokenizer's chat template, unless {@code disabled} (--no-chat-template); said on stderr when used. */
    Optional<ChatTemplate> chatTemplate(boolean disabled) {
        Optional<ChatTemplate> template = disabled ? Optional.empty() : ChatTemplate.find(tokenizerPath());
        template.ifPresent(t -> System.err.println("multiple-choice prompts go through the chat template of "
                + t.file() + " (--no-chat-template to score plain prompts)"));
        return template;
    }

    Tokenizer openTokenizer() {
        return Tokenizers.load(tokenizerPath());
    }
}
