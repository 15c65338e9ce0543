package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects tensors and metadata, then writes them as a safetensors file or a Hugging Face style set
 * of shards. Tensor bytes are copied verbatim, so a tensor taken from {@link SafetensorsFile#bytes}
 * and written back unchanged is byte-identical.
 *
 * <p>Order in a file follows the reference implementation's rule: larger element sizes first, then
 * by name. Since the header is padded to a multiple of 8, every tensor then starts at an offset
 * aligned to its element size, which zero-copy readers rely on. (Among dtypes of equal size the
 * reference orders by its own dtype enum; here it is the name alone, so mixed F16/BF16 files may
 * order differently from Python's output while holding the same tensors.)
 */
public final class SafetensorsWriter {

    /** FileChannel.write copies a heap buffer through a direct buffer of the same size; keep it bounded. */
    private static final int WRITE_CHUNK = 64 << 20;

    private static final Comparator<Entry> FILE_ORDER = Comparator
            .comparingInt((Entry e) -> -e.dtype().byteSize())
            .thenComparing(Entry::name);

    /** {@code content} writes exactly {@code byteLength} bytes. */
    private record Entry(String name, DType dtype, long[] shape, long byteLength, Content content) {
    }

    private interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /**
     * Adds a tensor. {@code data}'s remaining bytes (little-endian elements) are its content; they
     * are read when the file is written, not now, and {@code data}'s position is not changed.
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, ByteBuffer data) {
        ByteBuffer content = data.slice();
        long length = content.remaining();
        if (byteLength(name, dtype, shape) != length) {
            throw new IllegalArgumentException(name + ": " + dtype + " " + Arrays.toString(shape) + " needs "
                    + byteLength(name, dtype, shape) + " bytes, got " + length);
        }
        entries.put(name, new Entry(name, dtype, shape.clone(), length, out -> writeFully(out, content.duplicate())));
        return this;
    }

    /**
     * Adds a tensor whose bytes are copied from {@code file} at {@code offset} when its file is written: the
     * kernel copies them file to file, so an unchanged tensor of a large checkpoint never enters this process's
     * memory (reading it through a mapping would make every page of the input resident).
     */
    public SafetensorsWriter addCopy(String name, DType dtype, long[] shape, Path file, long offset) {
        long length = byteLength(name, dtype, shape);
        entries.put(name, new Entry(name, dtype, shape.clone(), length, out -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long done = 0; done < length; ) {
                    long n = in.transferTo(offset + done, length - done, out);
                    if (n <= 0) {
                        throw new IOException(file + ": ends inside tensor " + name);
                    }
                    done += n;
                }
            }
        }));
        return this;
    }

    /**
     * Adds a tensor whose bytes {@code data} makes when its file is written, not now: tensors are made one
     * after the other, in file order, so that a whole checkpoint is written holding one of them at most.
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, StreamedTensor data) {
        long length = byteLength(name, dtype, shape);
        entries.put(name, new Entry(name, dtype, shape.clone(), length, out -> {
            CountingChannel counted = new CountingChannel(out, name, length);
            data.writeTo(counted);
            counted.checkComplete();
        }));
        return this;
    }

    /** The bytes a new tensor of this name, dtype and shape takes; fails for a taken name or a bad shape. */
    private long byteLength(String name, DType dtype, long[] shape) {
        if (name == null || name.equals(SafetensorsFile.METADATA_KEY) || entries.containsKey(name)) {
            throw new IllegalArgumentException("tensor name missing, reserved or already added: " + name);
        }
        if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
        }
        try {
            return new TensorInfo(name, dtype, shape, 0, 0).byteLength();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " overflows", e);
        }
    }

    /** Adds string metadata, written as the header's {@code __metadata__} (into every shard). */
    public SafetensorsWriter metadata(Map<String, String> values) {
        metadata.putAll(values);
        return this;
    }

    /** Writes one safetensors file atomically. */
    public void write(Path file) throws IOException {
        writeFile(file, new ArrayList<>(entries.values()));
    }

    /**
     * Writes the tensors as {@code baseName-0000i-of-0000N.safetensors} shards of at most
     * {@code maxShardBytes} tensor bytes each (a larger tensor gets a shard of its own), filled in
     * name order, plus {@code baseName.safetensors.index.json}. If everything fits in one shard,
     * writes the single file {@code baseName.safetensors} and no index instead. Each file is written
     * atomically; the index is written after the shards, and a leftover single file or index of the
     * other layout is deleted last, since loaders prefer the single file.
     */
    public void writeSharded(Path dir, String baseName, long maxShardBytes) throws IOException {
        if (maxShardBytes <= 0 || baseName.isEmpty() || baseName.contains("/") || baseName.contains("\\")) {
            throw new IllegalArgumentException("need maxShardBytes > 0 and a plain base name, got "
                    + maxShardBytes + ", '" + baseName + "'");
        }
        Path single = dir.resolve(baseName + ".safetensors");
        List<List<Entry>> shards = pack(maxShardBytes);
        if (shards.size() <= 1) {
            write(single);
            Files.deleteIfExists(dir.resolve(baseName + ".safetensors.index.json"));
            return;
        }
        Map<String, List<Entry>> files = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            files.put(String.format("%s-%05d-of-%05d.safetensors", baseName, i + 1, shards.size()), shards.get(i));
        }
        writeIndexed(dir, baseName, files);
    }

    /**
     * Writes each tensor into the shard file {@code shardOf} names for it, plus {@code
     * baseName.safetensors.index.json}: the layout of a sharded checkpoint the tensors came from.
     */
    public void writeShards(Path dir, String baseName, Map<String, String> shardOf) throws IOException {
        Map<String, List<Entry>> files = new TreeMap<>();
        for (Entry entry : entries.values().stream().sorted(Comparator.comparing(Entry::name)).toList()) {
            String shard = shardOf.get(entry.name());
            if (shard == null || shard.contains("/") || shard.contains("\\")) {
                throw new IllegalArgumentException("no plain shard file name for " + entry.name() + ": " + shard);
            }
            files.computeIfAbsent(shard, k -> new ArrayList<>()).add(entry);
        }
        writeIndexed(dir, baseName, files);
    }

    /** The shards, then the index after them, then a leftover single file of the other layout. */
    private void writeIndexed(Path dir, String baseName, Map<String, List<Entry>> files) throws IOException {
        Map<String, String> weightMap = new TreeMap<>();
        long totalSize = 0;
        for (Map.Entry<String, List<Entry>> file : files.entrySet()) {
            writeFile(dir.resolve(file.getKey()), file.getValue());
            for (Entry entry : file.getValue()) {
                weightMap.put(entry.name(), file.getKey());
                totalSize += entry.byteLength();
            }
        }
        AtomicFiles.writeString(dir.resolve(baseName + ".safetensors.index.json"), indexJson(totalSize, weightMap));
        Files.deleteIfExists(dir.resolve(baseName + ".safetensors"));
    }

    private List<List<Entry>> pack(long maxShardBytes) {
        List<List<Entry>> shards = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        long currentBytes = 0;
        for (Entry entry : entries.values().stream().sorted(Comparator.comparing(Entry::name)).toList()) {
            if (!current.isEmpty() && currentBytes + entry.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(entry);
            currentBytes += entry.byteLength();
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static String indexJson(long totalSize, Map<String, String> weightMap) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        return Json.pretty(root) + "\n";
    }

    private void writeFile(Path file, List<Entry> content) throws IOException {
        List<Entry> ordered = content.stream().sorted(FILE_ORDER).toList();
        byte[] header = header(ordered);
        AtomicFiles.write(file, tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeFully(out, ByteBuffer.wrap(header));
                for (Entry entry : ordered) {
                    entry.content().writeTo(out);
                }
            }
        });
    }

    /** Compact JSON padded with spaces to a multiple of 8 bytes, as the reference writes it. */
    private byte[] header(List<Entry> ordered) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry entry : ordered) {
            ObjectNode node = root.putObject(entry.name());
            node.put("dtype", entry.dtype().safetensorsName());
            Arrays.stream(entry.shape()).forEach(node.putArray("shape")::add);
            node.putArray("data_offsets").add(offset).add(offset + entry.byteLength());
            offset += entry.byteLength();
        }
        String json = Json.MAPPER.writeValueAsString(root);
        int padding = (8 - json.getBytes(StandardCharsets.UTF_8).length % 8) % 8;
        return (json + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            int length = Math.min(WRITE_CHUNK, data.remaining());
            ByteBuffer chunk = data.slice(data.position(), length);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            data.position(data.position() + length);
        }
    }

    /** Passes a streamed tensor's chunks to the file, refusing more or fewer bytes than the header promised. */
    private static final class CountingChannel implements WritableByteChannel {

        private final FileChannel out;
        private final String name;
        private final long length;
        private long written;

        CountingChannel(FileChannel out, String name, long length) {
            this.out = out;
            this.name = name;
            this.length = length;
        }

        @Override
        public int write(ByteBuffer chunk) throws IOException {
            int n = chunk.remaining();
            if (n > length - written) {
                throw new IOException(name + ": the streamed tensor gave more than its " + length + " bytes");
            }
            writeFully(out, chunk);
            written += n;
            return n;
        }

        void checkComplete() throws IOException {
            if (written != length) {
                throw new IOException(name + ": the streamed tensor gave " + written + " of its " + length + " bytes");
            }
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        /** The file stays open for the tensors after this one. */
        @Override
        public void close() {
        }
    }
}
