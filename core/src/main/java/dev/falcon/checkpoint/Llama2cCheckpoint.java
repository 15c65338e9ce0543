package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.InputException;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A llama2.c "v0" checkpoint: seven int32 header fields (dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size, seq_len; a negative vocab_size means a separate classifier), then float32
 * tensors grouped by kind across layers, then two RoPE tables and the optional classifier.
 *
 * <p>Tensors are exposed under Hugging Face names. Their bytes are as stored: q/k projections are
 * still in llama2.c's interleaved rotary layout (see {@link #interleavedRotary()}).
 */
public final class Llama2cCheckpoint implements WeightSource {

    private static final int HEADER_BYTES = 7 * 4;

    private final Path path;
    private final LlamaConfig config;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final MappedRegions regions;

    private Llama2cCheckpoint(Path path, LlamaConfig config, FileChannel channel, Map<String, TensorInfo> tensors) {
        this.path = path;
        this.config = config;
        this.channel = channel;
        this.tensors = tensors;
        this.regions = new MappedRegions(channel, tensors.values().stream().map(t -> new long[] {t.begin(), t.end()}).toList());
    }

    public static Llama2cCheckpoint open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InputException(path, "file not found");
        } catch (IOException e) {
            throw new InputException(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new InputException(path, "too short for a llama2.c header (" + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header, 0);
            header.flip();
            LlamaConfig config = parseHeader(path, header);
            return new Llama2cCheckpoint(path, config, ch, layout(path, config, size));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static LlamaConfig parseHeader(Path path, ByteBuffer h) {
        int dim = h.getInt();
        int hidden = h.getInt();
        int layers = h.getInt();
        int heads = h.getInt();
        int kvHeads = h.getInt();
        int vocab = h.getInt();
        int seqLen = h.getInt();
        int[] positive = {dim, hidden, layers, heads, kvHeads, seqLen, Math.abs(vocab)};
        for (int v : positive) {
            if (v <= 0 || v > 1 << 20) {
                throw new InputException(path, "not a llama2.c checkpoint: implausible header " + java.util.Arrays.toString(positive));
            }
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            throw new InputException(path, "inconsistent header: dim " + dim + ", heads " + heads + ", kv heads " + kvHeads);
        }
        return new LlamaConfig("LlamaForCausalLM", dim, hidden, layers, heads, kvHeads, dim / heads,
                Math.abs(vocab), 1e-5, 10000.0, null, vocab > 0, false, seqLen, "float32", 1, 2, 0);
    }

    /** Offsets of every tensor in file order; the file must be exactly as long as the header implies. */
    private static Map<String, TensorInfo> layout(Path path, LlamaConfig c, long fileSize) {
        // Each layer stores at least its two norm vectors; checking that first keeps a header that claims
        // a million layers from building a million layers' shapes for a file of a few bytes.
        long normBytes = 2L * Float.BYTES * c.hiddenSize() * c.numLayers();
        if (HEADER_BYTES + normBytes > fileSize) {
            throw new InputException(path, "size " + fileSize + " bytes is too small for " + c.numLayers()
                    + " layers of dim " + c.hiddenSize() + " (truncated or not a llama2.c v0 checkpoint)");
        }
        Map<String, long[]> shapes = ModelShapes.of(c);
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        long offset = HEADER_BYTES;
        offset = add(out, LlamaModel.EMBED, shapes, offset);
        offset = addPerLayer(out, c, "input_layernorm.weight", shapes, offset);
        for (String p : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            offset = addPerLayer(out, c, "self_attn." + p + ".weight", shapes, offset);
        }
        offset = addPerLayer(out, c, "post_attention_layernorm.weight", shapes, offset);
        for (String p : new String[] {"gate_proj", "down_proj", "up_proj"}) {
            offset = addPerLayer(out, c, "mlp." + p + ".weight", shapes, offset);
        }
        offset = add(out, LlamaModel.FINAL_NORM, shapes, offset);
        offset += 2L * c.maxPositionEmbeddings() * (c.headDim() / 2) * 4;
        if (!c.tieWordEmbeddings()) {
            offset = add(out, LlamaModel.LM_HEAD, shapes, offset);
        }
        if (offset != fileSize) {
            throw new InputException(path, "size " + fileSize + " bytes does not match the header, which implies "
                    + offset + " bytes (truncated or not a llama2.c v0 checkpoint)");
        }
        return Collections.unmodifiableMap(out);
    }

    private static long addPerLayer(Map<String, TensorInfo> out, LlamaConfig c, String suffix,
                                    Map<String, long[]> shapes, long offset) {
        for (int l = 0; l < c.numLayers(); l++) {
            offset = add(out, "model.layers." + l + "." + suffix, shapes, offset);
        }
        return offset;
    }

    private static long add(Map<String, TensorInfo> out, String name, Map<String, long[]> shapes, long offset) {
        long[] shape = shapes.get(name);
        long bytes = 4;
        for (long s : shape) {
            bytes = Math.multiplyExact(bytes, s);
        }
        out.put(name, new TensorInfo(name, DType.F32, shape, offset, offset + bytes));
        return offset + bytes;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo i = tensors.get(name);
        if (i == null) {
            throw new InputException(path, "no tensor " + name);
        }
        return i;
    }

    /** Offsets in this format count from the start of the file. */
    @Override
    public long fileOffset(String name) {
        return info(name).begin();
    }

    @Override
    public ByteBuffer bytes(String name) {
        TensorInfo i = info(name);
        try {
            return regions.slice(i.begin(), i.end());
        } catch (IOException e) {
            throw new InputException(path, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** llama2.c pairs rotary dimensions (2i, 2i+1); Hugging Face pairs (i, i + d/2). */
    @Override
    public boolean interleavedRotary() {
        return true;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
