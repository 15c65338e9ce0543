package dev.falcon.model;

import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Llama-family decoder (Llama, Mistral, Qwen2): the whole model's math is in this file.
 *
 * <p>Parameters go by their Hugging Face names ({@code model.layers.3.mlp.down_proj.weight}), in the
 * compute dtype, with rotary embedding in the "rotate half" layout Hugging Face uses. The residual stream
 * after block l is what a forward hook on {@code model.layers[l]} returns in PyTorch.
 *
 * <p>The model takes its tensors from {@link Weights}, asking for each block every time it runs it, so that
 * weights may stream from a file; the tensors it edits (setParam, {@link #editable}) it holds itself. Two
 * models may share one Weights and differ only in their edits ({@link #snapshot}): the frozen reference of
 * an unlearning run is the model it started from.
 */
public final class LlamaModel {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private final LlamaConfig config;
    private final Weights weights;
    private final Map<String, long[]> shapes;
    /** Tensors that replace the weights' ones: edited copies. */
    private final Map<String, Tensor> edits;
    private final Tensor invFreq;

    /** A model holding {@code tensors} (every parameter the config implies). */
    public LlamaModel(LlamaConfig config, Map<String, Tensor> tensors) {
        this(config, new ResidentWeights(config, tensors));
    }

    public LlamaModel(LlamaConfig config, Weights weights) {
        this(config, weights, new LinkedHashMap<>());
    }

    private LlamaModel(LlamaConfig config, Weights weights, Map<String, Tensor> edits) {
        this.config = config;
        this.weights = weights;
        this.shapes = Collections.unmodifiableMap(ModelShapes.of(config));
        this.edits = edits;
        this.invFreq = RotaryEmbedding.inverseFrequencies(config);
    }

    public LlamaConfig config() {
        return config;
    }

    public static String layerParam(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    public Tensor param(String name) {
        Tensor edited = edits.get(name);
        if (edited != null) {
            return edited;
        }
        if (!shapes.containsKey(name)) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return weights.get(name);
    }

    /** Every parameter name, in a stable order (embedding, blocks in order, final norm, head). */
    public Set<String> paramNames() {
        return shapes.keySet();
    }

    /** Replaces a parameter (same shape), e.g. with an edited copy; the weights this model reads are untouched. */
    public void setParam(String name, Tensor value) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (!Arrays.equals(shape, value.shape())) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(value.shape())
                    + " != " + Arrays.toString(shape));
        }
        edits.put(name, value);
    }

    /**
     * Gives this model a copy of its own of each named parameter, to be changed in place (training), and
     * returns them in order; the tensors they replace, which other models may share, are never written.
     */
    public List<Tensor> editable(List<String> names) {
        List<Tensor> copies = new ArrayList<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (String name : names) {
                Tensor copy = param(name).detach().clone();
                setParam(name, copy);
                copies.add(copy);
            }
        }
        return copies;
    }

    /**
     * A model on the same weights and the same edited tensors as this one: no tensor is copied, and a
     * later setParam or {@link #editable} on either model does not reach the other.
     */
    public LlamaModel snapshot() {
        return new LlamaModel(config, weights, new LinkedHashMap<>(edits));
    }

    public DType dtype() {
        return weights.dtype();
    }

    // ---- forward -------------------------------------------------------------------------------

    /** Token embeddings [B, T, D]. */
    public Tensor embed(Tensor ids) {
        return param(EMBED).embedding(ids);
    }

    /**
     * Positions, rotary tables and the additive attention mask of a batch, shared by every block.
     * With a cache, the batch's tokens follow the cached ones.
     */
    public AttentionContext context(Batch batch, KvCache cache) {
        return AttentionContext.of(batch.mask(), cache, invFreq, config.slidingWindow(), dtype());
    }

    /** Runs blocks [from, to) on the residual stream h [B, T, D]. */
    public Tensor blocks(Tensor h, AttentionContext ctx, int from, int to, KvCache cache) {
        return blocks(h, ctx, from, to, cache, () -> { });
    }

    /** As {@link #blocks(Tensor, AttentionContext, int, int, KvCache)}, running {@code afterEachBlock} as each ends. */
    private Tensor blocks(Tensor h, AttentionContext ctx, int from, int to, KvCache cache, Runnable afterEachBlock) {
        for (int l = from; l < to; l++) {
            h = block(l, h, ctx, cache);
            afterEachBlock.run();
        }
        return h;
    }

    /** One decoder block: pre-norm attention and pre-norm SwiGLU MLP, each added to the residual. */
    public Tensor block(int l, Tensor x, AttentionContext ctx, KvCache cache) {
        // the block's intermediate tensors are freed as it ends: a pass holds one block's worth, not all
        Tensor[] out = Engine.within(() -> {
            Tensor h = blockMath(l, x, ctx, cache);
            return cache == null ? new Tensor[] {h} : new Tensor[] {h, cache.keys[l], cache.values[l]};
        });
        if (cache != null) {
            cache.keys[l] = out[1];
            cache.values[l] = out[2];
        }
        return out[0];
    }

    private Tensor blockMath(int l, Tensor x, AttentionContext ctx, KvCache cache) {
        try (BlockWeights w = weights.block(l)) {
            Tensor h = x.add(attention(l, w, x.rmsNorm(param(l, w, "input_layernorm.weight"), config.rmsNormEps()),
                    ctx, cache));
            Tensor n = h.rmsNorm(param(l, w, "post_attention_layernorm.weight"), config.rmsNormEps());
            Tensor gate = n.linear(param(l, w, "mlp.gate_proj.weight"), null).silu();
            Tensor up = n.linear(param(l, w, "mlp.up_proj.weight"), null);
            return h.add(gate.mul(up).linear(param(l, w, "mlp.down_proj.weight"), null));
        }
    }

    /** A block parameter: this model's edited copy, else the block's own (null for an absent bias). */
    private Tensor param(int l, BlockWeights w, String name) {
        Tensor edited = edits.isEmpty() ? null : edits.get(layerParam(l, name));
        return edited != null ? edited : w.find(name);
    }

    private Tensor attention(int l, BlockWeights w, Tensor x, AttentionContext ctx, KvCache cache) {
        long b = x.size(0);
        long t = x.size(1);
        int hd = config.headDim();
        Tensor q = project(l, w, "q_proj", x).view(b, t, config.numHeads(), hd).transpose(1, 2);
        Tensor k = project(l, w, "k_proj", x).view(b, t, config.numKvHeads(), hd).transpose(1, 2);
        Tensor v = project(l, w, "v_proj", x).view(b, t, config.numKvHeads(), hd).transpose(1, 2);
        q = ctx.rotate(q);
        k = ctx.rotate(k);
        if (cache != null) {
            Tensor[] kv = cache.append(l, k, v);
            k = kv[0];
            v = kv[1];
        }
        if (config.kvGroups() > 1) {
            k = k.repeatInterleave(config.kvGroups(), 1);
            v = v.repeatInterleave(config.kvGroups(), 1);
        }
        Tensor o = Tensor.attention(q, k, v, ctx.mask(), ctx.mask() == null);
        o = o.transpose(1, 2).reshape(b, t, (long) config.numHeads() * hd);
        return project(l, w, "o_proj", o);
    }

    /** An attention projection, with its bias when the model has one. */
    private Tensor project(int l, BlockWeights w, String name, Tensor x) {
        return x.linear(param(l, w, "self_attn." + name + ".weight"), param(l, w, "self_attn." + name + ".bias"));
    }

    /** Final RMSNorm and the language-model head: logits [B, T, V]. */
    public Tensor logits(Tensor h) {
        Tensor head = config.tieWordEmbeddings() ? param(EMBED) : param(LM_HEAD);
        return h.rmsNorm(param(FINAL_NORM), config.rmsNormEps()).linear(head, null);
    }

    /** Full forward pass: logits [B, T, V]. A non-null cache is extended with this batch. */
    public Tensor forward(Batch batch, KvCache cache) {
        AttentionContext ctx = context(batch, cache);
        Tensor h = blocks(embed(batch.ids()), ctx, 0, config.numLayers(), cache);
        ctx.commit(cache);
        return logits(h);
    }

    /** Logits of a full forward pass together with the residual stream after block {@code layer}. */
    public record Capture(Tensor logits, Tensor hidden) {
    }

    /** A full forward pass (every block and the head) that also returns the stream after {@code layer}. */
    public Capture forwardCapturing(Batch batch, int layer) {
        AttentionContext ctx = context(batch, null);
        Tensor hidden = blocks(embed(batch.ids()), ctx, 0, layer + 1, null);
        Tensor top = blocks(hidden, ctx, layer + 1, config.numLayers(), null);
        return new Capture(logits(top), hidden);
    }

    /** The residual stream after every block, as a list of [B, T, D]; the last entry is before the final norm. */
    public List<Tensor> hiddenStates(Batch batch) {
        AttentionContext ctx = context(batch, null);
        Tensor h = embed(batch.ids());
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < config.numLayers(); l++) {
            h = block(l, h, ctx, null);
            out.add(h);
        }
        return out;
    }

    /** The residual stream after block {@code layer} (no block above it runs). */
    public Tensor hiddenAfter(Batch batch, int layer) {
        return hiddenAfter(batch, layer, null);
    }

    /**
     * As {@link #hiddenAfter(Batch, int)} for the batch's tokens after those in {@code cache}; a non-null cache
     * is extended with this batch (at blocks up to {@code layer}), so that a shared context is read once.
     */
    public Tensor hiddenAfter(Batch batch, int layer, KvCache cache) {
        return hiddenAfter(batch, layer, cache, () -> { });
    }

    /** As {@link #hiddenAfter(Batch, int, KvCache)}, running {@code afterEachBlock} as each block ends. */
    public Tensor hiddenAfter(Batch batch, int layer, KvCache cache, Runnable afterEachBlock) {
        AttentionContext ctx = context(batch, cache);
        Tensor h = blocks(embed(batch.ids()), ctx, 0, layer + 1, cache, afterEachBlock);
        ctx.commit(cache);
        return h;
    }
}
