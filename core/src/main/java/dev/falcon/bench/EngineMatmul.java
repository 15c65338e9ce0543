package dev.falcon.bench;

import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The engine's own matmul speed on this machine: the reference the benchmarks' achieved GFLOP/s are held against. */
final class EngineMatmul {

    private EngineMatmul() {
    }

    /** GFLOP/s of {@code [m x k] @ [k x n]} in {@code dtype}: 2mkn flops over the median of {@code repeats} runs. */
    static double gflops(DType dtype, int m, int k, int n, int repeats) {
        try (Engine.Scope outer = Engine.scope()) {
            Tensor a = Tensor.randn(new Rng(2), DType.F32, m, k).to(dtype);
            Tensor w = Tensor.randn(new Rng(3), DType.F32, k, n).to(dtype);
            double seconds = median(repeats, () -> {
                try (Engine.Scope s = Engine.scope()) {
                    return time(() -> a.matmul(w).sum().item());
                }
            });
            return 2.0 * m * k * n / seconds / 1e9;
        }
    }

    /** One untimed warm-up run, then the median of {@code repeats} timed runs. */
    static double median(int repeats, Supplier<Double> run) {
        run.get();
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            t.add(run.get());
        }
        double[] s = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }

    /** Seconds {@code r} takes. */
    static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
