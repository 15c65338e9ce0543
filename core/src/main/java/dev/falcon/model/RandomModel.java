package dev.falcon.model;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

import java.util.LinkedHashMap;
import java.util.Map;

/** A model with random weights (normal, std 0.02; norms 1), as transformers initialises Llama. */
public final class RandomModel {

    private RandomModel() {
    }

    public static LlamaModel create(LlamaConfig config, long seed, DType dtype) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (Map.Entry<String, long[]> e : ModelShapes.of(config).entrySet()) {
                boolean norm = isNormWeight(e.getKey(), e.getValue());
                // a scope per tensor frees the float32 draw at once rather than at some later GC
                try (Engine.Scope s = Engine.scope()) {
                    Tensor t = norm ? Tensor.ones(dtype, e.getValue())
                            : Tensor.randn(rng, DType.F32, e.getValue()).mul(0.02).to(dtype);
                    w.put(e.getKey(), s.keep(t));
                }
            }
        }
        return new LlamaModel(config, w);
    }

    /** RMSNorm weights, which start at 1; every other parameter (biases too) is drawn. */
    public static boolean isNormWeight(String name, long[] shape) {
        return shape.length == 1 && !name.endsWith(".bias");
    }

    /** SmolLM2-135M's shape: 30 layers, hidden 576, 9 heads, 3 KV heads, MLP 1536, vocab 49152. */
    public static LlamaConfig smolLm2Shape() {
        return new LlamaConfig("LlamaForCausalLM", 576, 1536, 30, 9, 3, 64, 49152, 1e-5, 100000.0, null,
                true, false, 8192, "float32", 1, 2, 0);
    }
}
