package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a model as a Hugging Face folder that transformers loads: config.json and
 * safetensors weights under standard names.
 * Tensors the caller did not change are copied byte for byte from the source checkpoint.
 */
public final class HfCheckpointWriter {

    /** transformers' default max_shard_size. */
    public static final long SHARD_BYTES = 5_000_000_000L;

    private HfCheckpointWriter() {
    }

    /**
     * @param changed    parameters that differ from the source; all others are copied from it when
     *                   the source stores them in the same layout
     * @param dtype      dtype of written (changed or re-laid-out) tensors; copied ones keep theirs
     * @param metadata   extra safetensors header metadata ("format": "pt", which transformers
     *                   requires, is always set)
     */
    public static void write(LlamaModel model, WeightSource source, Set<String> changed, DType dtype,
                             Map<String, String> metadata, Path dir) throws IOException {
        LlamaConfig c = withDtype(model.config(), dtype);
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata).metadata(Map.of("format", "pt"));
        for (Map.Entry<String, long[]> e : ModelShapes.of(c).entrySet()) {
            String name = e.getKey();
            if (copiesUnchanged(source, changed, name)) {
                TensorInfo info = source.info(name);
                w.addCopy(name, info.dtype(), info.shape(), source.fileOf(name), source.fileOffset(name));
            } else {
                // a scope per tensor, so that a streamed model's blocks are let go as they are written
                try (Engine.Scope scope = Engine.scope()) {
                    w.add(name, dtype, e.getValue(), model.param(name).toBytes(dtype));
                }
            }
        }
        Map<String, String> shards = sourceShards(source, ModelShapes.of(c).keySet());
        if (shards.isEmpty()) {
            w.writeSharded(dir, "model", SHARD_BYTES);
        } else {
            w.writeShards(dir, "model", shards);
        }
        HfConfig.write(c, dir);
    }

    /**
     * The bytes {@link #write} will write for {@code config}'s tensors (headers and config aside): those the source
     * holds at its size, the others in {@code dtype}; exact when {@code dtype} is the source's own, as unlearn and
     * convert write. Lets a command refuse an output disk too small before hours of work rather than after them.
     */
    public static long tensorBytes(LlamaConfig config, WeightSource source, DType dtype) {
        long total = 0;
        for (Map.Entry<String, long[]> e : ModelShapes.of(config).entrySet()) {
            boolean stored = source != null && source.names().contains(e.getKey());
            total += stored ? source.info(e.getKey()).byteLength()
                    : Math.multiplyExact(TensorInfo.numel(e.getValue()), (long) dtype.byteSize());
        }
        return total;
    }

    /**
     * The shard file of every tensor in a source that spans several files, so that the edited checkpoint
     * keeps the input's layout; empty when the source is one file or lacks one of the tensors.
     */
    private static Map<String, String> sourceShards(WeightSource source, Set<String> names) {
        Map<String, String> shards = new TreeMap<>();
        if (source == null || !source.names().containsAll(names)) {
            return shards;
        }
        names.forEach(name -> shards.put(name, source.fileOf(name).getFileName().toString()));
        return new HashSet<>(shards.values()).size() > 1 ? shards : Map.of();
    }

    private static boolean copiesUnchanged(WeightSource source, Set<String> changed, String name) {
        if (source == null || changed.contains(name) || !source.names().contains(name)) {
            return false;
        }
        boolean rotary = name.endsWith("q_proj.weight") || name.endsWith("k_proj.weight");
        return !(source.interleavedRotary() && rotary);
    }

    private static LlamaConfig withDtype(LlamaConfig c, DType dtype) {
        String torchDtype = switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        };
        return c.withTorchDtype(torchDtype);
    }

    /** The dtype a checkpoint's floating tensors are stored in (its embedding's). */
    public static DType storedDtype(WeightSource source) {
        return source.info(LlamaModel.EMBED).dtype();
    }

}
