package dev.falcon.cli;

import dev.falcon.demo.DemoSeeds;
import dev.falcon.demo.DemoSettings;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;
import dev.falcon.model.RandomModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Speed benchmarks; every figure is measured side by side with a reference in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: 'forward' (model forward efficiency against the engine's matmul), "
                + "'unlearn' (FALCON's cached training step against the official computation), "
                + "'tofu' (fine-tune on TOFU, unlearn forget01 with FALCON and the baselines, compare), "
                + "'demo' (the whole demo once per seed; accuracy mean, min and max over seeds).")
final class BenchCommand implements Runnable {

    @Parameters(index = "0", description = "Which benchmark: forward, unlearn, tofu or demo")
    String which;

    @Option(names = "--batch", defaultValue = "4")
    int batch;

    @Option(names = "--tokens", defaultValue = "256")
    int tokens;

    @Option(names = "--repeats", defaultValue = "5")
    int repeats;

    @Option(names = "--data", defaultValue = "../shared/data",
            description = "tofu: the folder holding tofu/ and models/stories260K/ (default ../shared/data).")
    Path data;

    @Option(names = "--out", description = "tofu: also write every result as JSON to this file. demo: the output "
            + "folder (default falcon-bench-demo): seed-N/ per seed and bench-demo.json.")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", description = "tofu: keep the fine-tuned and reference models "
            + "in DIR and reuse them while their recipe (base weights, training settings, data) is unchanged. demo: "
            + "where base models are cached (default: a new folder cache/ inside --out, so every seed trains).")
    Path cache;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2,3,4", description = "demo: the seeds to run "
            + "(default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Override
    public void run() {
        switch (which) {
            case "forward" -> forward();
            case "unlearn" -> new UnlearnBench(batch, tokens, repeats).run();
            case "tofu" -> TofuBenchCommand.run(data, out, cache);
            case "demo" -> demo();
            case UnlearnBench.CHILD_CACHED, UnlearnBench.CHILD_FULL ->
                    new UnlearnBench(batch, tokens, repeats).runChild(which.equals(UnlearnBench.CHILD_CACHED));
            default -> throw new dev.falcon.InputException("unknown benchmark '" + which
                    + "' (available: forward, unlearn, tofu, demo)");
        }
    }

    /** The demo per seed, from fresh base models unless --cache says where earlier ones are. */
    private void demo() {
        Path root = out == null ? Path.of("falcon-bench-demo") : out;
        Path models = cache == null ? root.resolve("cache") : cache;
        System.out.printf("demo over seeds %s, %d libtorch threads, base models in %s%n", seeds, Engine.threads(),
                models);
        try (DemoProgress bars = new DemoProgress()) {
            List<DemoSeeds.Run> runs = new DemoSeeds(DemoSettings::forSeed, models, bars).run(seeds, root,
                    System.out);
            System.out.print(DemoSeeds.summary(runs));
            DemoSeeds.write(runs, root.resolve("bench-demo.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void forward() {
        LlamaConfig c = RandomModel.smolLm2Shape();
        System.out.printf("model: random weights, SmolLM2-135M shape (%d layers, hidden %d, %d heads, %d kv heads,"
                        + " MLP %d, vocab %d); batch %d x %d tokens; %d threads%n", c.numLayers(), c.hiddenSize(),
                c.numHeads(), c.numKvHeads(), c.intermediateSize(), c.vocabSize(), batch, tokens, Engine.threads());
        LlamaModel model = RandomModel.create(c, 0, DType.F32);
        Tensor ids = Tensor.rand(new Rng(1), DType.F32, batch, tokens).mul(c.vocabSize()).to(DType.I64);
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, tokens);
        Batch b = new Batch(ids, Tensor.ones(DType.I64, batch, tokens), lengths);
        double forwardSeconds = median(repeats, () -> {
            try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
                return time(() -> model.forward(b, null).sum().item());
            }
        });
        long n = (long) batch * tokens;
        double flops = forwardFlops(c, batch, tokens);
        double achieved = flops / forwardSeconds / 1e9;
        double matmul = matmulGflops((int) n, c.hiddenSize(), c.intermediateSize());
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
        double linear = 0;
        for (var e : ModelShapes.of(c).entrySet()) {
            if (e.getValue().length == 2 && !e.getKey().equals(LlamaModel.EMBED)) {
                linear += (double) e.getValue()[0] * e.getValue()[1];
            }
        }
        if (c.tieWordEmbeddings()) {
            linear += (double) c.vocabSize() * c.hiddenSize();
        }
        double attention = 4.0 * tokens * tokens * c.numHeads() * c.headDim() * c.numLayers();
        return 2.0 * linear * batch * tokens + attention * batch;
    }

    private double matmulGflops(int m, int k, int n) {
        Tensor a = Tensor.randn(new Rng(2), DType.F32, m, k);
        Tensor w = Tensor.randn(new Rng(3), DType.F32, k, n);
        double seconds = median(repeats, () -> {
            try (Engine.Scope s = Engine.scope()) {
                return time(() -> a.matmul(w).sum().item());
            }
        });
        return 2.0 * m * k * n / seconds / 1e9;
    }

    static double median(int repeats, Supplier<Double> run) {
        run.get();
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            t.add(run.get());
        }
        double[] s = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }

    static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
