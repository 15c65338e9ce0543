package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Distinct, non-trivial bytes so that any misplaced or reordered byte shows. */
    private static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer data = buffer(bytes);
        for (int i = 0; i < bytes; i++) {
            data.put(i, (byte) (seed + 37 * i));
        }
        return data;
    }

    private static byte[] toArray(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTripsWithShapeOffsetsAndBytes(DType dtype) throws IOException {
        ByteBuffer data = pattern(6 * dtype.byteSize(), dtype.ordinal());
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().add("x", dtype, new long[] {2, 3}, data).metadata(Map.of("k", "v")).write(file);

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(new TensorInfo("x", dtype, new long[] {2, 3}, 0, 6L * dtype.byteSize()), st.info("x"));
            assertArrayEquals(toArray(data), toArray(st.bytes("x")));
            assertEquals(Map.of("k", "v"), st.metadata());
            assertTrue(st.bytes("x").isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, st.bytes("x").order());
        }
    }

    /**
     * Reading every tensor of a file maps it in one region, not one kernel mapping per tensor: those mappings
     * outlive the read until a garbage collection, and a process may hold only vm.max_map_count of them.
     */
    @Test
    void readingManyTensorsAddsFewMemoryMappings() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        int count = 500;
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int i = 0; i < count; i++) {
            writer.add("t" + i, DType.F32, new long[] {4}, pattern(16, i));
        }
        Path file = dir.resolve("many.safetensors");
        writer.write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            long before = Files.lines(maps).count();
            List<ByteBuffer> held = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                held.add(st.bytes("t" + i));
                assertArrayEquals(toArray(pattern(16, i)), toArray(held.get(i)), "t" + i);
            }
            long added = Files.lines(maps).count() - before;
            assertTrue(added < 20, "reading " + count + " tensors added " + added + " mappings");
        }
    }

    @Test
    void typedAccessorsDecodeEachDtype() throws IOException {
        ByteBuffer f32 = buffer(8).putFloat(0, 1.5f).putFloat(4, -0.125f);
        ByteBuffer f64 = buffer(16).putDouble(0, 0.1).putDouble(8, -3e300);
        // hand-encoded 16-bit patterns: bf16 1.0, -2.0; f16 1.0, 65504
        ByteBuffer bf16 = buffer(4).putShort(0, (short) 0x3F80).putShort(2, (short) 0xC000);
        ByteBuffer f16 = buffer(4).putShort(0, (short) 0x3C00).putShort(2, (short) 0x7BFF);
        ByteBuffer i64 = buffer(16).putLong(0, -5).putLong(8, 1L << 40);
        ByteBuffer i32 = buffer(8).putInt(0, Integer.MIN_VALUE).putInt(4, 7);
        ByteBuffer i16 = buffer(4).putShort(0, (short) -300).putShort(2, (short) 300);
        ByteBuffer i8 = buffer(2).put(0, (byte) -1).put(1, (byte) 127);
        ByteBuffer u8 = buffer(2).put(0, (byte) 0xFF).put(1, (byte) 0x80);
        Path file = dir.resolve("typed.safetensors");
        new SafetensorsWriter()
                .add("f32", DType.F32, new long[] {2}, f32).add("f64", DType.F64, new long[] {2}, f64)
                .add("bf16", DType.BF16, new long[] {2}, bf16).add("f16", DType.F16, new long[] {2}, f16)
                .add("i64", DType.I64, new long[] {2}, i64).add("i32", DType.I32, new long[] {2}, i32)
                .add("i16", DType.I16, new long[] {2}, i16).add("i8", DType.I8, new long[] {2}, i8)
                .add("u8", DType.U8, new long[] {2}, u8)
                .write(file);

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, -0.125f}, st.floats("f32"));
            assertArrayEquals(new double[] {1.5, -0.125}, st.doubles("f32"));
            assertArrayEquals(new double[] {0.1, -3e300}, st.doubles("f64"));
            assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, st.floats("f64"));
            assertArrayEquals(new float[] {1.0f, -2.0f}, st.floats("bf16"));
            assertArrayEquals(new float[] {1.0f, 65504.0f}, st.floats("f16"));
            assertArrayEquals(new long[] {-5, 1L << 40}, st.longs("i64"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, 7}, st.longs("i32"));
            assertArrayEquals(new long[] {-300, 300}, st.longs("i16"));
            assertArrayEquals(new long[] {-1, 127}, st.longs("i8"));
            assertArrayEquals(new long[] {255, 128}, st.longs("u8"));
        }
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        new SafetensorsWriter()
                .add("scalar", DType.I32, new long[0], buffer(4).putInt(0, 42))
                .add("empty", DType.F32, new long[] {0, 5}, buffer(0))
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new long[] {42}, st.longs("scalar"));
            assertEquals(1, st.info("scalar").numel());
            assertEquals(0, st.bytes("empty").remaining());
            assertArrayEquals(new float[0], st.floats("empty"));
            assertEquals(Map.of(), st.metadata());
        }
    }

    /** Mixed odd-sized tensors: the header pads to 8 and larger elements come first. */
    @Test
    void everyTensorStartsAlignedToItsElementSize() throws IOException {
        Path file = dir.resolve("aligned.safetensors");
        new SafetensorsWriter()
                .add("a_bytes", DType.U8, new long[] {3}, pattern(3, 1))
                .add("b_half", DType.F16, new long[] {1}, pattern(2, 2))
                .add("c_double", DType.F64, new long[] {1}, pattern(8, 3))
                .add("d_float", DType.F32, new long[] {3}, pattern(12, 4))
                .write(file);
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, head.getLong(0) % 8);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            List<String> order = st.tensors().stream().map(TensorInfo::name).toList();
            assertEquals(List.of("c_double", "d_float", "b_half", "a_bytes"), order);
            for (TensorInfo info : st.tensors()) {
                assertEquals(0, info.begin() % info.dtype().byteSize(), info.name());
            }
        }
    }

    @Test
    void copyingEveryTensorGivesAByteIdenticalFile() throws IOException {
        Path original = dir.resolve("original.safetensors");
        new SafetensorsWriter()
                .add("layers.0.w", DType.BF16, new long[] {4, 4}, pattern(32, 5))
                .add("layers.1.w", DType.F32, new long[] {3, 3}, pattern(36, 6))
                .add("ids", DType.I64, new long[] {2}, pattern(16, 7))
                .metadata(Map.of("format", "pt"))
                .write(original);
        Path copy = dir.resolve("copy.safetensors");
        Path edited = dir.resolve("edited.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(original)) {
            SafetensorsWriter same = new SafetensorsWriter().metadata(st.metadata());
            SafetensorsWriter changed = new SafetensorsWriter().metadata(st.metadata());
            for (TensorInfo info : st.tensors()) {
                same.add(info.name(), info.dtype(), info.shape(), st.bytes(info.name()));
                ByteBuffer data = info.name().equals("ids") ? pattern(16, 99) : st.bytes(info.name());
                changed.add(info.name(), info.dtype(), info.shape(), data);
            }
            same.write(copy);
            changed.write(edited);
        }
        assertEquals(-1, Files.mismatch(original, copy));
        try (SafetensorsFile a = SafetensorsFile.open(original); SafetensorsFile b = SafetensorsFile.open(edited)) {
            assertArrayEquals(toArray(a.bytes("layers.0.w")), toArray(b.bytes("layers.0.w")));
            assertArrayEquals(toArray(a.bytes("layers.1.w")), toArray(b.bytes("layers.1.w")));
            assertArrayEquals(toArray(pattern(16, 99)), toArray(b.bytes("ids")));
        }
    }

    /** Four 400-byte tensors under a 1000-byte limit: a+b fit (800), c would make 1200. */
    @Test
    void shardedWriteSplitsByLimitAndReadsBackAsOneCheckpoint() throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (String name : List.of("d", "b", "a", "c")) {
            writer.add(name, DType.F32, new long[] {100}, pattern(400, name.charAt(0)));
        }
        writer.writeSharded(dir, "model", 1000);

        String first = "model-00001-of-00002.safetensors";
        String second = "model-00002-of-00002.safetensors";
        JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
        assertEquals(1600, index.get("metadata").get("total_size").asLong());
        assertEquals(Map.of("a", first, "b", first, "c", second, "d", second),
                new ObjectMapper().convertValue(index.get("weight_map"), Map.class));
        assertFalse(Files.exists(dir.resolve("model.safetensors")));

        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(Set.of("a", "b", "c", "d"), checkpoint.names());
            assertEquals(dir.resolve(second), checkpoint.fileOf("c").path());
            for (String name : checkpoint.names()) {
                assertArrayEquals(toArray(pattern(400, name.charAt(0))), toArray(checkpoint.bytes(name)));
                assertEquals(100, checkpoint.info(name).numel());
                assertEquals(100, checkpoint.floats(name).length);
            }
        }
    }

    @Test
    void shardedWriteThatFitsWritesOneFileAndRemovesAStaleIndex() throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("a", DType.F32, new long[] {100}, pattern(400, 1))
                .add("b", DType.F32, new long[] {100}, pattern(400, 2));
        writer.writeSharded(dir, "model", 500);
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));

        writer.writeSharded(dir, "model", 800);
        assertTrue(Files.exists(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(dir.resolve("model.safetensors"), checkpoint.fileOf("b").path());
        }
    }

    @Test
    void failedAtomicWriteLeavesTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("config.json");
        AtomicFiles.writeString(target, "old");
        IOException failure = new IOException("disk full");
        IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFiles.write(target, tmp -> {
                    Files.writeString(tmp, "partial");
                    throw failure;
                }));
        assertEquals(failure, thrown);
        assertEquals("old", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
