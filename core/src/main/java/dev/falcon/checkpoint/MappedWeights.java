package dev.falcon.checkpoint;

import dev.falcon.InputException;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.BlockWeights;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;
import dev.falcon.model.Weights;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Weights that stay in the checkpoint's files. A tensor stored in the compute dtype is a view on the file,
 * mapped copy-on-write ({@link Tensor#mapped}): no copy is made and nothing reaches the file. Others are
 * converted (and llama2.c's q/k rows permuted) when their block is materialised.
 *
 * <p>A memory budget bounds what is held: the embedding, final norm and head, then as many decoder blocks
 * as fit. Blocks are materialised when the model first asks for them; while the budget has room they stay
 * (a model that fits is resident after its first forward pass). Past that, one block at a time streams
 * through the room that is left: the block held last is released (its mapping unmapped, so the pages read
 * through it leave resident memory too) before the next one is materialised. The blocks that stay are the
 * first ones asked for: a forward pass walks the blocks in order, and keeping a fixed set rather than the
 * least recently used ones makes each pass find them all (with LRU, a walk over more blocks than fit finds
 * none). Tensors are checked for NaN and infinities when first materialised.
 */
public final class MappedWeights implements Weights {

    /** Where a tensor lies, and its place in the model: layer -1 for the tensors outside the blocks. */
    private record Stored(Path file, long offset, DType dtype, long[] shape, int layer, String inBlock,
                          long rotaryHeads) {
    }

    private final LlamaConfig config;
    private final DType compute;
    private final long budget;
    private final Map<String, Stored> stored;
    private final long blockBytes;
    private final long outsideBytes;
    private final int staying;
    private final Map<String, Tensor> outside = new HashMap<>();
    private final Map<Integer, Map<String, Tensor>> stayingBlocks = new HashMap<>();
    private final Set<String> checked = new HashSet<>();
    private int streamedLayer = -1;
    private Map<String, Tensor> streamedBlock;

    /** The source must have passed {@link ModelLoader}'s checks (names, shapes, dtypes). */
    MappedWeights(WeightSource source, DType compute, long budget) {
        this.config = source.config();
        this.compute = compute;
        this.budget = budget;
        this.stored = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ModelShapes.of(config).entrySet()) {
            stored.put(e.getKey(), locate(source, e.getKey(), e.getValue()));
        }
        this.blockBytes = bytes(ModelShapes.block(config).values());
        this.outsideBytes = bytes(stored.values().stream().filter(s -> s.layer() < 0).map(Stored::shape).toList());
        long room = Math.max(0, budget - outsideBytes) / Math.max(1, blockBytes);
        // one block's room is kept for streaming the blocks that do not stay
        this.staying = room >= config.numLayers() ? config.numLayers() : (int) Math.max(0, room - 1);
        Engine.holdFreedMemoryFor(outsideBytes + blockBytes * config.numLayers());
    }

    private Stored locate(WeightSource source, String name, long[] shape) {
        String prefix = "model.layers.";
        int layer = -1;
        String inBlock = null;
        if (name.startsWith(prefix)) {
            int dot = name.indexOf('.', prefix.length());
            layer = Integer.parseInt(name.substring(prefix.length(), dot));
            inBlock = name.substring(dot + 1);
        }
        boolean rotary = source.interleavedRotary() && (name.endsWith("q_proj.weight") || name.endsWith("k_proj.weight"));
        return new Stored(source.fileOf(name), source.fileOffset(name), source.info(name).dtype(), shape, layer,
                inBlock, rotary ? shape[0] / config.headDim() : 0);
    }

    private long bytes(Iterable<long[]> shapes) {
        long total = 0;
        for (long[] shape : shapes) {
            total = Math.addExact(total, Math.multiplyExact(TensorInfo.numel(shape), (long) compute.byteSize()));
        }
        return total;
    }

    @Override
    public DType dtype() {
        return compute;
    }

    @Override
    public synchronized Tensor get(String name) {
        Stored s = stored.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        Tensor held = s.layer() < 0 ? outside.computeIfAbsent(name, this::materialise) : heldBlock(s.layer()).get(s.inBlock());
        return held.share();
    }

    @Override
    public synchronized BlockWeights block(int layer) {
        Map<String, Tensor> handles = new LinkedHashMap<>();
        heldBlock(layer).forEach((name, t) -> handles.put(name, t.share()));
        return BlockWeights.handedOut(handles);
    }

    /** How many decoder blocks stay materialised; the others stream. */
    public int stayingBlocks() {
        return staying;
    }

    /** One line on what stays in memory, for the user when blocks stream. */
    public String plan() {
        long whole = outsideBytes + blockBytes * config.numLayers();
        String held = staying == config.numLayers() ? "all " + staying + " decoder blocks stay in memory"
                : staying + " of " + config.numLayers() + " decoder blocks stay in memory, the others stream from "
                + "the checkpoint one at a time";
        String floor = outsideBytes + blockBytes > budget
                ? " (below the least it can do with: the embedding, head and one block, " + gib(outsideBytes + blockBytes) + ")"
                : "";
        return String.format(Locale.ROOT, "weights: %s in %s, memory budget %s%s: %s", gib(whole), compute, gib(budget),
                floor, held);
    }

    private static String gib(long bytes) {
        return bytes == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /** The block's held tensors, materialised if need be (releasing the streamed block first). */
    private Map<String, Tensor> heldBlock(int layer) {
        Map<String, Tensor> held = stayingBlocks.get(layer);
        if (held != null) {
            return held;
        }
        if (layer == streamedLayer) {
            return streamedBlock;
        }
        if (streamedBlock != null) {
            streamedBlock.values().forEach(Tensor::release);
            streamedBlock = null;
            streamedLayer = -1;
        }
        Map<String, Tensor> block = new LinkedHashMap<>();
        ModelShapes.block(config).keySet().forEach(n -> block.put(n, materialise(LlamaModel.layerParam(layer, n))));
        if (stayingBlocks.size() < staying) {
            stayingBlocks.put(layer, block);
        } else {
            streamedLayer = layer;
            streamedBlock = block;
        }
        return block;
    }

    /** The tensor in the compute dtype, held by no scope: a view on the file unless it had to be converted. */
    private Tensor materialise(String name) {
        Stored s = stored.get(name);
        try (Engine.Scope scope = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            Tensor t = map(name, s);
            // caught here, a bad weight names its tensor; later it only breaks an SVD or a loss
            if (!checked.contains(name)) {
                if (!t.allFinite()) {
                    throw new InputException(s.file(), "tensor " + name + " holds NaN or infinite values");
                }
                checked.add(name);
            }
            t = t.to(compute);
            if (s.rotaryHeads() > 0) {
                t = ModelLoader.toRotateHalf(t, s.rotaryHeads());
            }
            return scope.keep(t);
        }
    }

    private static Tensor map(String name, Stored s) {
        try {
            return Tensor.mapped(s.file(), s.offset(), s.dtype(), s.shape());
        } catch (RuntimeException e) {
            // libtorch's message: the file shrank since its header was read, or cannot be opened
            throw new InputException(s.file(), "cannot map tensor " + name + ": " + e.getMessage().lines().findFirst()
                    .orElse(e.toString()), e);
        }
    }
}
