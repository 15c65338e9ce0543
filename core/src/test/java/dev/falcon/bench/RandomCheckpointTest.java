package dev.falcon.bench;

import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.engine.DType;
import dev.falcon.engine.HalfFloats;
import dev.falcon.io.Json;
import dev.falcon.model.ModelShapes;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cached random checkpoint: its content, and when the cache is reused or written again. */
class RandomCheckpointTest {

    private static final ScaleShape TINY = TinyScaleShape.create();
    /** The tiny model's 300 KB in several shards. */
    private static final long SHARD_BYTES = 100_000;

    @TempDir
    Path root;

    @Test
    void weightsAreNormalWithStd002AndNormsOneInBf16() throws IOException {
        Path dir = RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, root.resolve("tiny")).dir();
        try (WeightSource w = Checkpoints.open(dir)) {
            assertEquals(ModelShapes.of(w.config()).keySet(), w.names());
            for (String name : w.names()) {
                assertEquals(DType.BF16, w.info(name).dtype(), name);
                float[] v = floats(w.bytes(name));
                if (name.endsWith("norm.weight")) {
                    for (float x : v) {
                        assertEquals(1.0f, x, name);
                    }
                } else {
                    double mean = 0;
                    double square = 0;
                    for (float x : v) {
                        mean += x / v.length;
                        square += (double) x * x / v.length;
                    }
                    // 2048+ draws: the sample std is within 5% of 0.02 (3 standard errors), the mean within 5
                    assertEquals(0.02, Math.sqrt(square - mean * mean), 0.001, name);
                    assertEquals(0.0, mean, 5 * 0.02 / Math.sqrt(v.length), name);
                }
            }
        }
    }

    @Test
    void theTokenizerGivesAnIdToEveryRowOfTheEmbedding() throws IOException {
        Path dir = RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, root.resolve("tiny")).dir();
        try (Tokenizer tok = Tokenizers.load(dir)) {
            assertEquals(600, tok.vocabSize());
            assertEquals(1, tok.bosId());
            assertFalse(tok.decode(new int[] {599}).isEmpty());
        }
    }

    @Test
    void aCompleteFolderIsReusedAndAnIncompleteOrStaleOneWrittenAgain() throws IOException {
        Path dir = root.resolve("tiny");
        assertFalse(RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, dir).reused());
        Map<String, byte[]> first = contents(dir);
        assertTrue(first.keySet().stream().filter(f -> f.endsWith(".safetensors")).count() > 1, "sharded");
        Files.writeString(dir.resolve("sentinel"), "kept while the cache is reused");
        assertTrue(RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, dir).reused());
        assertTrue(Files.exists(dir.resolve("sentinel")));

        Files.delete(dir.resolve(RandomCheckpoint.MARKER)); // as a run killed before its last file leaves it
        assertFalse(RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, dir).reused());
        assertFalse(Files.exists(dir.resolve("sentinel")));
        assertSameContents(first, contents(dir));

        try (FileChannel shard = FileChannel.open(dir.resolve("model-00002-of-" + shards(first) + ".safetensors"),
                StandardOpenOption.WRITE)) {
            shard.truncate(shard.size() - 1);
        }
        assertFalse(RandomCheckpoint.ensure(TINY, 0, SHARD_BYTES, dir).reused());
        assertSameContents(first, contents(dir));

        assertFalse(RandomCheckpoint.ensure(TINY, 1, SHARD_BYTES, dir).reused(), "another seed");
        assertFalse(Json.readObject(dir.resolve(RandomCheckpoint.MARKER)).equals(
                Json.MAPPER.readTree(first.get(RandomCheckpoint.MARKER))));
    }

    private static String shards(Map<String, byte[]> files) {
        long n = files.keySet().stream().filter(f -> f.endsWith(".safetensors")).count();
        return String.format("%05d", n);
    }

    private static void assertSameContents(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static float[] floats(ByteBuffer bf16) {
        ByteBuffer b = bf16.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i));
        }
        return out;
    }
}
