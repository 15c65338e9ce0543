package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.engine.HalfFloats;
import dev.falcon.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader for one safetensors file: an 8-byte little-endian header length, a UTF-8 JSON header, then
 * the data section. The whole header is validated on open; tensor bytes are memory-mapped on request
 * in regions of up to 2 GiB ({@link MappedRegions}), so files larger than 2 GiB work (a single tensor
 * must stay under 2 GiB, the limit of one ByteBuffer).
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation refuses larger headers too. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private final MappedRegions regions;

    private SafetensorsFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        long size = channel.size();
        if (size < 8) {
            throw problem("file has " + size + " bytes; a safetensors file starts with an 8-byte header length");
        }
        long headerLength = read(0, 8).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw problem("header length " + Long.toUnsignedString(headerLength) + " is not within 0.." + MAX_HEADER_BYTES);
        }
        if (headerLength > size - 8) {
            throw problem("header length " + headerLength + " runs past the end of the file (" + size + " bytes)");
        }
        this.dataStart = 8 + headerLength;
        ObjectNode header = Json.parseObject(read(8, (int) headerLength).array(), path);
        this.metadata = parseMetadata(header.get(METADATA_KEY));
        this.tensors = parseTensors(header, size - dataStart);
        this.regions = new MappedRegions(channel, tensors.values().stream()
                .map(t -> new long[] {dataStart + t.begin(), dataStart + t.end()}).toList());
    }

    /** Opens and validates {@code file}; every problem with it is an InputException naming it. */
    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found", e);
        } catch (IOException e) {
            throw new InputException(file, "cannot open: " + e, e);
        }
        try {
            return new SafetensorsFile(file, channel);
        } catch (IOException e) {
            throw closeAfter(channel, new InputException(file, "cannot read: " + e, e));
        } catch (RuntimeException e) {
            throw closeAfter(channel, e);
        }
    }

    private static RuntimeException closeAfter(FileChannel channel, RuntimeException failure) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
        return failure;
    }

    public Path path() {
        return path;
    }

    /** The header's {@code __metadata__} object; empty if the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors, ordered by their offset in the data section. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw problem("no tensor named '" + name + "'");
        }
        return info;
    }

    /** A read-only little-endian view of exactly the tensor's bytes, mapped from the file. */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        long length = info.end() - info.begin();
        if (length > Integer.MAX_VALUE) {
            throw problem("tensor '" + name + "' has " + length + " bytes; tensors of 2 GiB or more are not supported");
        }
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        try {
            return regions.slice(dataStart + info.begin(), dataStart + info.end());
        } catch (IOException e) {
            throw new InputException(path, "cannot map tensor '" + name + "': " + e, e);
        }
    }

    /** Where the tensor's first byte lies in the file. */
    public long fileOffset(String name) {
        return dataStart + info(name).begin();
    }

    /** The tensor's elements as float; F32, F16, BF16 exactly, F64 rounded. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        float[] out = new float[elementCount(info, DType.F32, DType.F16, DType.BF16, DType.F64)];
        ByteBuffer data = bytes(name);
        switch (info.dtype()) {
            case F32 -> data.asFloatBuffer().get(out);
            case F64 -> {
                DoubleBuffer doubles = data.asDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) doubles.get(i);
                }
            }
            case F16 -> {
                ShortBuffer halves = data.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToFloat(halves.get(i));
                }
            }
            default -> {
                ShortBuffer halves = data.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16ToFloat(halves.get(i));
                }
            }
        }
        return out;
    }

    /** The tensor's elements as double (exact for every floating-point dtype). */
    public double[] doubles(String name) {
        TensorInfo info = info(name);
        double[] out = new double[elementCount(info, DType.F64, DType.F32, DType.F16, DType.BF16)];
        if (info.dtype() == DType.F64) {
            bytes(name).asDoubleBuffer().get(out);
        } else {
            float[] floats = floats(name);
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[i];
            }
        }
        return out;
    }

    /** The tensor's elements as long; U8 is read unsigned. */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        long[] out = new long[elementCount(info, DType.I64, DType.I32, DType.I16, DType.I8, DType.U8)];
        ByteBuffer data = bytes(name);
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> data.getLong(8 * i);
                case I32 -> data.getInt(4 * i);
                case I16 -> data.getShort(2 * i);
                case I8 -> data.get(i);
                default -> Byte.toUnsignedLong(data.get(i));
            };
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new InputException(path, "cannot close: " + e, e);
        }
    }

    /** Checks the dtype is one the caller converts; numel fits an int because bytes() caps at 2 GiB. */
    private int elementCount(TensorInfo info, DType... accepted) {
        if (!Arrays.asList(accepted).contains(info.dtype())) {
            throw problem("tensor '" + info.name() + "' has dtype " + info.dtype() + "; expected one of "
                    + Arrays.toString(accepted));
        }
        if (info.end() - info.begin() > Integer.MAX_VALUE) {
            throw problem("tensor '" + info.name() + "' has " + (info.end() - info.begin())
                    + " bytes; tensors of 2 GiB or more are not supported");
        }
        return (int) info.numel();
    }

    private ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw problem("file ended while reading the header");
            }
        }
        return buffer.flip();
    }

    private Map<String, String> parseMetadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw problem(METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw problem(METADATA_KEY + " value of '" + field.getKey() + "' is not a string");
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(values);
    }

    private Map<String, TensorInfo> parseTensors(ObjectNode header, long dataSize) {
        List<TensorInfo> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (!field.getKey().equals(METADATA_KEY)) {
                list.add(parseEntry(field.getKey(), field.getValue(), dataSize));
            }
        }
        list.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkNoOverlap(list);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        list.forEach(info -> byName.put(info.name(), info));
        return Collections.unmodifiableMap(byName);
    }

    private TensorInfo parseEntry(String name, JsonNode entry, long dataSize) {
        if (!entry.isObject()) {
            throw problem("tensor '" + name + "': entry is not a JSON object");
        }
        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw problem("tensor '" + name + "': dtype is missing or not a string");
        }
        DType dtype = DType.parse(dtypeNode.textValue(), path);
        long[] shape = nonNegativeLongs(entry.get("shape"), name, "shape");
        long[] offsets = nonNegativeLongs(entry.get("data_offsets"), name, "data_offsets");
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw problem("tensor '" + name + "': data_offsets must be [begin, end] with begin <= end, got "
                    + Arrays.toString(offsets));
        }
        if (offsets[1] > dataSize) {
            throw problem("tensor '" + name + "': data_offsets " + Arrays.toString(offsets)
                    + " run past the end of the data section (" + dataSize + " bytes)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        checkByteLength(info);
        return info;
    }

    private void checkByteLength(TensorInfo info) {
        long expected;
        try {
            expected = info.byteLength();
        } catch (ArithmeticException e) {
            throw problem("tensor '" + info.name() + "': shape " + Arrays.toString(info.shape()) + " overflows");
        }
        long actual = info.end() - info.begin();
        if (actual != expected) {
            throw problem("tensor '" + info.name() + "': data_offsets span " + actual + " bytes but " + info.dtype()
                    + " " + Arrays.toString(info.shape()) + " needs " + expected);
        }
    }

    /** Expects ranges sorted by begin; empty ranges cannot overlap anything. */
    private void checkNoOverlap(List<TensorInfo> sorted) {
        TensorInfo previous = null;
        for (TensorInfo info : sorted) {
            if (info.begin() == info.end()) {
                continue;
            }
            if (previous != null && info.begin() < previous.end()) {
                throw problem("tensors '" + previous.name() + "' and '" + info.name() + "' overlap in the data section");
            }
            previous = info;
        }
    }

    private long[] nonNegativeLongs(JsonNode node, String tensor, String field) {
        String problem = "tensor '" + tensor + "': " + field + " must be an array of non-negative integers";
        if (node == null || !node.isArray()) {
            throw problem(problem);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw problem(problem);
            }
            values[i] = value.longValue();
        }
        return values;
    }

    private InputException problem(String problem) {
        return new InputException(path, problem);
    }
}
