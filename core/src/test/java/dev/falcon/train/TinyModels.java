package dev.falcon.train;

import dev.falcon.engine.DType;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;

/** Small random Llama models for tests: hidden 32, 2 layers, 4 heads (2 KV heads), MLP 64, vocabulary 16. */
public final class TinyModels {

    public static final int VOCAB = 16;

    private TinyModels() {
    }

    public static LlamaConfig config() {
        return new LlamaConfig("LlamaForCausalLM", 32, 64, 2, 4, 2, 8, VOCAB, 1e-5, 10000.0, null, false, false,
                128, "float32", 1, 2, 0);
    }

    public static LlamaModel create(long seed) {
        return RandomModel.create(config(), seed, DType.F32);
    }
}
