package dev.falcon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.checkpoint.HfConfig;
import dev.falcon.checkpoint.SafetensorsWriter;
import dev.falcon.checkpoint.StreamedTensor;
import dev.falcon.demo.world.WorldTokenizerJson;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.ModelShapes;
import dev.falcon.model.RandomModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A random-weight BF16 checkpoint of a {@link ScaleShape} in a cache folder: config.json, sharded safetensors
 * and a word-level tokenizer.json covering every token id, so that the folder needs nothing else. Weights
 * are drawn as transformers initialises a Llama (normal, std 0.02; norms 1), from one generator per tensor
 * seeded by the tensor's name, and written tensor by tensor in chunks: an 8B model is never in memory.
 * The marker file, written last, records what the folder holds; a folder without it (half-written) or with
 * another one is deleted and written again.
 */
final class RandomCheckpoint {

    static final String MARKER = "falcon-scale-checkpoint.json";
    /** The bench's shards: at most 500 MB, so that every shape spans several files, as large checkpoints do. */
    static final long SHARD_BYTES = 500_000_000L;
    /** Elements drawn at a time: 16 MB of float32 draws. */
    static final int CHUNK = 1 << 22;
    static final double STD = 0.02;
    /** Raise when what is written changes, so that older caches are rewritten. */
    private static final int FORMAT = 1;

    private RandomCheckpoint() {
    }

    /** Whether the folder was reused or written, and the time that took. */
    record Prepared(Path dir, boolean reused, double seconds, long bytes) {
    }

    /**
     * The checkpoint of {@code shape} and {@code seed} in {@code dir}, in shards of at most {@code shardBytes}:
     * reused if complete, else written.
     */
    static Prepared ensure(ScaleShape shape, long seed, long shardBytes, Path dir) throws IOException {
        long start = System.nanoTime();
        ObjectNode expected = expectedMarker(shape, seed, shardBytes);
        boolean reused = isComplete(dir, expected);
        if (!reused) {
            OutputFolder.deleteTree(dir);
            Files.createDirectories(dir);
            write(shape, seed, shardBytes, dir, expected);
        }
        long bytes = Json.readObject(dir.resolve(MARKER)).path("files").properties().stream()
                .mapToLong(e -> e.getValue().asLong()).sum();
        return new Prepared(dir, reused, (System.nanoTime() - start) / 1e9, bytes);
    }

    /** The marker matches and every file it lists has its recorded size. */
    static boolean isComplete(Path dir, ObjectNode expected) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        ObjectNode found = Json.readObject(marker);
        ObjectNode files = (ObjectNode) found.remove("files");
        if (files == null || !found.equals(expected)) {
            return false;
        }
        for (Map.Entry<String, JsonNode> f : files.properties()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.isRegularFile(file) || Files.size(file) != f.getValue().asLong()) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode expectedMarker(ScaleShape shape, long seed, long shardBytes) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("format", FORMAT).put("shape", shape.name()).put("seed", seed).put("shard_bytes", shardBytes);
        m.set("config", shape.config());
        // as read back from the file, where a small long is an int: JSON trees compare node types
        return Json.parseObject(Json.pretty(m).getBytes(StandardCharsets.UTF_8), null);
    }

    private static void write(ScaleShape shape, long seed, long shardBytes, Path dir, ObjectNode marker)
            throws IOException {
        LlamaConfig c = writeConfig(shape, dir);
        WorldTokenizerJson.write(words(c), dir.resolve("tokenizer.json"));
        SafetensorsWriter weights = new SafetensorsWriter().metadata(Map.of("format", "pt"));
        for (Map.Entry<String, long[]> e : ModelShapes.of(c).entrySet()) {
            weights.add(e.getKey(), DType.BF16, e.getValue(), tensor(seed, e.getKey(), e.getValue()));
        }
        weights.writeSharded(dir, "model", shardBytes);
        ObjectNode files = marker.putObject("files");
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.sorted().toList()) {
                files.put(f.getFileName().toString(), Files.size(f));
            }
        }
        AtomicFiles.writeString(dir.resolve(MARKER), Json.pretty(marker) + "\n");
    }

    /** Writes the shape's config.json into {@code dir} and reads it back as the project loads it. */
    static LlamaConfig writeConfig(ScaleShape shape, Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(HfConfig.CONFIG_FILE), Json.pretty(shape.config()) + "\n");
        return HfConfig.read(dir);
    }

    /** The words of the tokenizer written beside the weights: with its 5 fixed tokens, one id for every row. */
    static List<String> words(LlamaConfig c) {
        return ScaleTexts.vocabulary(c.vocabSize() - WorldTokenizerJson.NEWLINE_ID - 1);
    }

    /** Elements of a tensor of this shape. */
    static long elements(long[] shape) {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** One tensor's BF16 bytes, made chunk by chunk when the writer reaches it. */
    static StreamedTensor tensor(long seed, String name, long[] shape) {
        boolean norm = RandomModel.isNormWeight(name, shape);
        long n = elements(shape);
        return out -> {
            Rng rng = new Rng(seed * 1_000_003L + name.hashCode());
            for (long done = 0; done < n; done += CHUNK) {
                long k = Math.min(CHUNK, n - done);
                try (Engine.Scope s = Engine.scope()) {
                    Tensor chunk = norm ? Tensor.ones(DType.BF16, k) : Tensor.randn(rng, DType.F32, k).mul(STD);
                    out.write(chunk.toBytes(DType.BF16));
                }
            }
        };
    }
}
