package dev.falcon.checkpoint;

import dev.falcon.model.LlamaConfig;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/** A Hugging Face model folder: config.json plus safetensors weights. */
public final class HfCheckpoint implements WeightSource {

    private final Path dir;
    private final LlamaConfig config;
    private final SafetensorsCheckpoint weights;

    private HfCheckpoint(Path dir, LlamaConfig config, SafetensorsCheckpoint weights) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
    }

    public static HfCheckpoint open(Path dir) {
        LlamaConfig config = HfConfig.read(dir);
        return new HfCheckpoint(dir, config, SafetensorsCheckpoint.open(dir));
    }

    @Override
    public Path path() {
        return dir;
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public Set<String> names() {
        return weights.names();
    }

    @Override
    public TensorInfo info(String name) {
        return weights.info(name);
    }

    @Override
    public Path fileOf(String name) {
        return weights.fileOf(name).path();
    }

    @Override
    public long fileOffset(String name) {
        return weights.fileOf(name).fileOffset(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return weights.bytes(name);
    }

    @Override
    public void close() {
        weights.close();
    }
}
