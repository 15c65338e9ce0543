package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;

/** Small random models over {@link ByteTokenizer}'s vocabulary. */
public final class TinyModels {

    private TinyModels() {
    }

    /** 2 layers, hidden 16, 2 heads sharing one KV head, untied head, the given context length. */
    public static LlamaModel random(int maxLength, long seed) {
        LlamaConfig c = new LlamaConfig("LlamaForCausalLM", 16, 32, 2, 2, 1, 8, ByteTokenizer.VOCAB, 1e-5,
                10000.0, null, false, false, maxLength, "float32", 1, 2, 0);
        return RandomModel.create(c, seed, DType.F32);
    }

    /** A random model whose head is all zeros: every logit is 0, every token has probability 1/V. */
    static LlamaModel uniform(int maxLength) {
        LlamaModel m = random(maxLength, 7);
        m.setParam(LlamaModel.LM_HEAD, Tensor.zeros(DType.F32, ByteTokenizer.VOCAB, 16));
        return m;
    }
}
