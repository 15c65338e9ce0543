package dev.falcon.model;

import dev.falcon.engine.DType;
import dev.falcon.engine.Tensor;

/**
 * Where a {@link LlamaModel} takes its tensors from, in the compute dtype and under Hugging Face names. The
 * model asks for one decoder block at a time, each time it runs that block, so an implementation may hold
 * every tensor ({@link ResidentWeights}) or materialise blocks on demand from a file and let them go again
 * (the checkpoint package's mapped weights). Tensors are never written in place through this interface: a
 * model that edits a tensor holds its own copy ({@link LlamaModel#editable}).
 */
public interface Weights {

    DType dtype();

    /**
     * One tensor by name (the embedding, the final norm, the head, or one of a block's). The returned
     * handle is the caller's: its scope, or the garbage collector, frees it.
     */
    Tensor get(String name);

    /** The tensors of decoder block {@code layer}; close the block when done with it. */
    BlockWeights block(int layer);
}
