package dev.falcon.checkpoint;

import dev.falcon.model.LlamaConfig;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/**
 * A checkpoint's configuration and raw tensors, whatever the file format, under Hugging Face names
 * ({@code model.layers.0.self_attn.q_proj.weight}) in nn.Linear layout.
 */
public interface WeightSource extends AutoCloseable {

    Path path();

    LlamaConfig config();

    Set<String> names();

    TensorInfo info(String name);

    /** The file holding the tensor (the checkpoint's path unless it spans several files). */
    default Path fileOf(String name) {
        return path();
    }

    /** Where the tensor's first byte lies in {@link #fileOf}, for mapping it in place. */
    long fileOffset(String name);

    /** The tensor's raw little-endian bytes, read-only. */
    ByteBuffer bytes(String name);

    /**
     * True when q/k projection rows are in the interleaved rotary layout of Meta's and llama2.c's
     * checkpoints, which the loader permutes into Hugging Face's rotate-half layout.
     */
    default boolean interleavedRotary() {
        return false;
    }

    @Override
    void close();
}
