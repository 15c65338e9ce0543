package dev.falcon.bench;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import dev.falcon.unlearn.ActivationPath;
import dev.falcon.unlearn.EditedParameters;
import dev.falcon.unlearn.Falcon;
import dev.falcon.unlearn.FalconSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.falcon.io.PeakMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FALCON's activation paths side by side on the 30-layer SmolLM2-135M shape, l* = 7, editing layers
 * 5-7, each batch used once: the per-step path (what such a run takes), the whole-set cache and the
 * official computation (--no-cache); median step time and peak resident memory of each. Each path runs
 * in a fresh child JVM (same java, classpath and environment) so that its peak memory is its own:
 * {@link #main} with the hidden option {@code --child-path per_step|cached|full_forward}.
 */
@Command(name = "unlearn", mixinStandardHelpOptions = true,
        description = "FALCON's training step on its per-step path, with the whole-set cache and as the official "
                + "computation (--no-cache): step time and peak memory, each path in its own JVM.")
final class UnlearnBench implements Runnable {

    private static final int LAYER = 7;
    private static final List<Integer> EDITED = List.of(5, 6, 7);

    @Mixin
    BatchShape shape;

    @Option(names = "--child-path", hidden = true,
            description = "In the child JVM: time this path (per_step, cached or full_forward).")
    String childPath;

    /** The child JVM's entry point: this command with --child-path. */
    public static void main(String[] args) {
        int code = new CommandLine(new UnlearnBench()).execute(args);
        PeakMemory.reportIfRequested(System.err);
        System.exit(code);
    }

    @Override
    public void run() {
        if (childPath == null) {
            compare();
            return;
        }
        for (ActivationPath p : ActivationPath.values()) {
            if (p.label().equals(childPath)) {
                runChild(p);
                return;
            }
        }
        throw new IllegalArgumentException("--child-path must be per_step, cached or full_forward, not " + childPath);
    }

    /** Steps per path: the untimed first one and --repeats timed ones. */
    private int steps() {
        return shape.repeats + 1;
    }

    private void compare() {
        System.out.printf("model: random weights, SmolLM2-135M shape; l* = %d, edited layers %s (mlp.down_proj); "
                + "batch %d x %d tokens; %d steps per path (first not timed); each path in its own JVM%n",
                LAYER, EDITED, shape.batch, shape.tokens, steps());
        Measured perStep = child(ActivationPath.PER_STEP);
        Measured cached = child(ActivationPath.CACHED);
        Measured full = child(ActivationPath.FULL_FORWARD);
        perStep.print("per step");
        cached.print("cached  ");
        full.print("no-cache");
        // Ratios of whole runs (the cache's set-up included): the path a run takes against the official
        // computation, and the whole-set cache against the path.
        System.out.printf("speedup=%.2f memory_ratio=%.2f cached_time_vs_per_step=%.2f cached_memory_vs_per_step=%.2f%n",
                full.runSeconds / perStep.runSeconds, perStep.peakMiB / full.peakMiB,
                cached.runSeconds / perStep.runSeconds, cached.peakMiB / perStep.peakMiB);
    }

    /**
     * @param stepSeconds median of the steps after the first
     * @param runSeconds  the whole run (set-up, such as building the cache, included) over its steps
     */
    private record Measured(double stepSeconds, double runSeconds, double peakMiB) {
        void print(String path) {
            System.out.printf("%s: %.0f ms/step (median), %.0f ms/step over the whole run, peak RSS %.0f MiB%n",
                    path, stepSeconds * 1e3, runSeconds * 1e3, peakMiB);
        }
    }

    private Measured child(ActivationPath path) {
        List<String> args = List.of("--child-path", path.label(), "--batch", String.valueOf(shape.batch),
                "--tokens", String.valueOf(shape.tokens), "--repeats", String.valueOf(shape.repeats));
        ChildJvm.Result r = ChildJvm.run(path.label(), UnlearnBench.class.getName(), 2048, args);
        if (!r.ok() || r.stdout().isEmpty()) {
            throw new IllegalStateException("benchmark child " + path + " failed (exit " + r.exitCode() + "): "
                    + String.join("\n", r.stderrTail(20)));
        }
        String[] last = r.stdout().get(r.stdout().size() - 1).strip().split(" ");
        return new Measured(Double.parseDouble(last[0]), Double.parseDouble(last[1]), r.peakMib());
    }

    /**
     * In the child: one path; prints its median step seconds and its whole run's seconds a step (its peak
     * memory follows on stderr).
     */
    private void runChild(ActivationPath path) {
        int steps = steps();
        LlamaConfig c = RandomModel.smolLm2Shape();
        LlamaModel model = RandomModel.create(c, 0, DType.F32);
        List<List<Batch>> forget = List.of(batches(c, 1));
        List<List<Batch>> retain = List.of(batches(c, 2));
        FalconSettings s = FalconSettings.builder().layer(LAYER).layers(EDITED).batchSize(shape.batch).maxBatches(steps)
                .cache(path != ActivationPath.FULL_FORWARD).build();
        EditedParameters edited = EditedParameters.select(model, EDITED, s.params());
        List<Tensor> steering = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            steering.add(Tensor.randn(new Rng(k), DType.F32, c.hiddenSize()));
        }
        long[] stamps = new long[steps + 1];
        stamps[0] = System.nanoTime();
        new Falcon(s).run(model, edited, forget, retain, steering, path,
                (step, total) -> stamps[step.step() + 1] = System.nanoTime());
        double[] perStep = new double[steps - 1];
        for (int k = 1; k < steps; k++) {
            perStep[k - 1] = (stamps[k + 1] - stamps[k]) / 1e9;
        }
        Arrays.sort(perStep);
        System.out.println(perStep[perStep.length / 2] + " " + (stamps[steps] - stamps[0]) / 1e9 / steps);
    }

    private List<Batch> batches(LlamaConfig c, long seed) {
        int batch = shape.batch;
        int tokens = shape.tokens;
        List<Batch> out = new ArrayList<>();
        int[] lengths = new int[batch];
        Arrays.fill(lengths, tokens);
        for (int k = 0; k < steps(); k++) {
            Tensor ids = Tensor.rand(new Rng(seed * 1000 + k), DType.F32, batch, tokens).mul(c.vocabSize()).to(DType.I64);
            out.add(new Batch(ids, Tensor.ones(DType.I64, batch, tokens), lengths));
        }
        return out;
    }
}
