package dev.falcon.model;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.function.IntConsumer;

/**
 * Autoregressive generation with a KV cache: the prompt is processed in one pass, then one token per
 * step. Like llama2.c, {@code maxLength} counts every position including the prompt, and generation
 * stops early at a stop token (llama2.c stops when the model emits BOS).
 */
public final class TextGenerator {

    private final LlamaModel model;

    public TextGenerator(LlamaModel model) {
        this.model = model;
    }

    /**
     * Feeds {@code prompt} (at least one token) and samples until the sequence is {@code maxLength}
     * long or a stop token comes; each new token is passed to {@code onToken} (stop tokens are not).
     */
    public int[] generate(int[] prompt, int maxLength, Sampler sampler, int[] stopIds, IntConsumer onToken) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generation needs at least one prompt token (BOS)");
        }
        int[] out = java.util.Arrays.copyOf(prompt, Math.max(maxLength, prompt.length));
        int length = prompt.length;
        KvCache cache = new KvCache(model.config().numLayers());
        try (Engine.Guard g = Engine.noGrad()) {
            Tensor logits = lastLogits(prompt, cache);
            while (length < maxLength) {
                int next = sampler.next(logits);
                if (contains(stopIds, next)) {
                    break;
                }
                out[length++] = next;
                onToken.accept(next);
                if (length < maxLength) {
                    logits = lastLogits(new int[] {next}, cache);
                }
            }
        }
        return java.util.Arrays.copyOf(out, length);
    }

    private Tensor lastLogits(int[] tokens, KvCache cache) {
        try (Engine.Scope s = Engine.scope()) {
            Tensor logits = model.forward(Batch.single(tokens), cache);
            cache.keep(s);
            return s.keep(logits.select(0, 0).select(0, tokens.length - 1).contiguous());
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }
}
