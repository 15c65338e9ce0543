package dev.falcon.model;

import dev.falcon.engine.Tensor;

import java.util.Map;

/**
 * The tensors of one decoder block, by their name inside it ({@code mlp.down_proj.weight}). Closing it
 * frees the handles it was given (when its {@link Weights} handed out handles of its own), so that a block
 * which its weights no longer hold is freed as soon as the model is done with it, not at some later scope.
 */
public final class BlockWeights implements AutoCloseable {

    private final Map<String, Tensor> tensors;
    private final boolean handles;

    private BlockWeights(Map<String, Tensor> tensors, boolean handles) {
        this.tensors = tensors;
        this.handles = handles;
    }

    /** Tensors that their weights keep: closing the block leaves them alone. */
    public static BlockWeights held(Map<String, Tensor> tensors) {
        return new BlockWeights(tensors, false);
    }

    /** Handles made for this use ({@link Tensor#share()}): closing the block releases them. */
    public static BlockWeights handedOut(Map<String, Tensor> tensors) {
        return new BlockWeights(tensors, true);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no block parameter " + name);
        }
        return t;
    }

    /** The tensor, or null when the block has none of that name (an absent bias). */
    public Tensor find(String name) {
        return tensors.get(name);
    }

    @Override
    public void close() {
        if (handles) {
            tensors.values().forEach(Tensor::release);
        }
    }
}
