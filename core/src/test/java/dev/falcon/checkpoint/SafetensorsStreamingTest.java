package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.ModelShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streamed tensors: the same files as tensors given whole, made one at a time, and only as they are written. */
class SafetensorsStreamingTest {

    /** A small Qwen2 shape (biases, so that 1-D and 2-D tensors of several sizes mix). */
    private static final LlamaConfig SMALL = new LlamaConfig("Qwen2ForCausalLM", 24, 40, 2, 4, 2, 6, 50, 1e-6,
            1e6, null, true, true, 128, "bfloat16", 0, 1, 0);
    /** Chunk sizes that split elements and tensors unevenly. */
    private static final int[] CHUNKS = {1, 7, 64, 1000};

    @TempDir
    Path dir;

    @Test
    void streamedTensorsWriteTheSameBytesAsWholeOnes() throws IOException {
        Map<String, long[]> shapes = ModelShapes.of(SMALL);
        SafetensorsWriter whole = new SafetensorsWriter().metadata(Map.of("format", "pt"));
        SafetensorsWriter streamed = new SafetensorsWriter().metadata(Map.of("format", "pt"));
        int i = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            byte[] content = content(e.getValue(), i);
            whole.add(e.getKey(), DType.BF16, e.getValue(), ByteBuffer.wrap(content));
            streamed.add(e.getKey(), DType.BF16, e.getValue(), inChunks(content, CHUNKS[i % CHUNKS.length], null));
            i++;
        }
        Path a = Files.createDirectories(dir.resolve("whole"));
        Path b = Files.createDirectories(dir.resolve("streamed"));
        whole.write(a.resolve("single.safetensors"));
        streamed.write(b.resolve("single.safetensors"));
        whole.writeSharded(a, "model", 2000);
        streamed.writeSharded(b, "model", 2000);
        List<String> files = names(a);
        assertTrue(files.size() > 3, "several shards: " + files);
        assertEquals(files, names(b));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void tensorsAreMadeOnlyWhenWrittenOneAtATimeInFileOrder() throws IOException {
        List<String> events = new ArrayList<>();
        SafetensorsWriter w = new SafetensorsWriter();
        // added out of name order, with two element sizes: file order is F32 first, then by name
        String[][] tensors = {{"c", "BF16"}, {"a", "F32"}, {"b", "BF16"}, {"d", "F32"}};
        for (String[] t : tensors) {
            DType dtype = DType.valueOf(t[1]);
            w.add(t[0], dtype, new long[] {3}, inChunks(new byte[3 * dtype.byteSize()], 2, events(events, t[0])));
        }
        assertEquals(List.of(), events, "nothing is made when added");
        w.write(dir.resolve("x.safetensors"));
        assertEquals(List.of("start a", "end a", "start d", "end d", "start b", "end b", "start c", "end c"), events);
    }

    @Test
    void aStreamOfTheWrongLengthWritesNoFile() {
        for (int bytes : new int[] {5, 7}) {
            SafetensorsWriter w = new SafetensorsWriter();
            w.add("t", DType.BF16, new long[] {3}, inChunks(new byte[bytes], 4, null));
            Path file = dir.resolve("bad" + bytes + ".safetensors");
            IOException e = assertThrows(IOException.class, () -> w.write(file));
            assertTrue(e.getMessage().startsWith("t: the streamed tensor gave"), e.getMessage());
            assertFalse(Files.exists(file));
        }
    }

    private static Runnable[] events(List<String> events, String name) {
        return new Runnable[] {() -> events.add("start " + name), () -> events.add("end " + name)};
    }

    /** Writes {@code content} in chunks of {@code chunk} bytes, running {@code around[0]} before and [1] after. */
    private static StreamedTensor inChunks(byte[] content, int chunk, Runnable[] around) {
        return out -> {
            if (around != null) {
                around[0].run();
            }
            for (int at = 0; at < content.length; at += chunk) {
                out.write(ByteBuffer.wrap(content, at, Math.min(chunk, content.length - at)));
            }
            if (around != null) {
                around[1].run();
            }
        };
    }

    private static byte[] content(long[] shape, int seed) {
        byte[] b = new byte[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact) * 2)];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
