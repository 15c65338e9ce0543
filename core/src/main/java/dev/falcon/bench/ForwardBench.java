package dev.falcon.bench;

import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;
import dev.falcon.model.RandomModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Arrays;

/** The model's forward throughput against the engine's own matmul on the same machine, in the same run. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Model forward efficiency (random SmolLM2-135M shape) against the engine's matmul.")
final class ForwardBench implements Runnable {

    @Mixin
    BatchShape shape;

    @Override
    public void run() {
        int batch = shape.batch;
        int tokens = shape.tokens;
        LlamaConfig c = RandomModel.smolLm2Shape();
        System.out.printf("model: random weights, SmolLM2-135M shape (%d layers, hidden %d, %d heads, %d kv heads,"
                        + " MLP %d, vocab %d); batch %d x %d tokens; %d threads%n", c.numLayers(), c.hiddenSize(),
                c.numHeads(), c.numKvHeads(), c.intermediateSize(), c.vocabSize(), batch, tokens, Engine.threads());
        LlamaModel model = RandomModel.create(c, 0, DType.F32);
        Tensor ids = Tensor.rand(new Rng(1), DType.F32, batch, tokens).mul(c.vocabSize()).to(DType.I64);
        int[] lengths = new int[batch];
        Arrays.fill(lengths, tokens);
        Batch b = new Batch(ids, Tensor.ones(DType.I64, batch, tokens), lengths);
        double forwardSeconds = EngineMatmul.median(shape.repeats, () -> {
            try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
                return EngineMatmul.time(() -> model.forward(b, null).sum().item());
            }
        });
        long n = (long) batch * tokens;
        double flops = forwardFlops(c, batch, tokens);
        double achieved = flops / forwardSeconds / 1e9;
        double matmul = EngineMatmul.gflops(DType.F32, (int) n, c.hiddenSize(), c.intermediateSize(), shape.repeats);
        System.out.printf("forward: %.1f ms, %.0f tokens/s, %.1f GFLOP/s achieved (%.1f GFLOP per forward)%n",
                forwardSeconds * 1e3, n / forwardSeconds, achieved, flops / 1e9);
        System.out.printf("engine matmul [%d x %d] @ [%d x %d]: %.1f GFLOP/s%n", n, c.hiddenSize(), c.hiddenSize(),
                c.intermediateSize(), matmul);
        System.out.printf("efficiency=%.2f%n", achieved / matmul);
    }

    /**
     * Multiply-adds of every projection and the LM head (2 flops each per token), plus attention's two
     * [T x T] products per head, counted in full because the masked kernel computes them in full.
     */
    static double forwardFlops(LlamaConfig c, int batch, int tokens) {
        double attention = 4.0 * tokens * tokens * c.numHeads() * c.headDim() * c.numLayers();
        return 2.0 * matmulParameters(c) * batch * tokens + attention * batch;
    }

    /** The weights a token is multiplied with: every projection's and the LM head's (the embedding's when tied). */
    static double matmulParameters(LlamaConfig c) {
        double linear = 0;
        for (var e : ModelShapes.of(c).entrySet()) {
            if (e.getValue().length == 2 && !e.getKey().equals(LlamaModel.EMBED)) {
                linear += (double) e.getValue()[0] * e.getValue()[1];
            }
        }
        if (c.tieWordEmbeddings()) {
            linear += (double) c.vocabSize() * c.hiddenSize();
        }
        return linear;
    }
}
