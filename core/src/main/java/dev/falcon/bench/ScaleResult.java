package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.Json;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code falcon bench scale} run. Scoring's achieved rate counts the work one forward pass
 * per question needs: 2 x (weights each token is multiplied with: every projection and the LM head) x (tokens
 * of the lettered prompts) flops, over the seconds {@code falcon eval} reports for scoring; attention's
 * products (about 2% at these lengths) are not counted. Its efficiency is that rate over the faster of the
 * engine's float32 and bfloat16 matmul at the shape's MLP size (each the faster of a reading before and one after
 * the tasks), so that it never flatters either dtype.
 */
record ScaleResult(ScaleShape shape, long parameters, double matmulParameters, RandomCheckpoint.Prepared checkpoint,
                   Matmul matmul, long promptTokens, Task unlearn, Task eval, Task generate) {

    static final String FORMULA = "eval_gflops = 2 x matmul_parameters x prompt_tokens / scoring_seconds / 1e9; "
            + "eval_efficiency = eval_gflops / max(matmul_f32_gflops, matmul_bf16_gflops)";

    /** The engine's matmul {@code [m x hidden] @ [hidden x intermediate]}, in GFLOP/s. */
    record Matmul(int m, double f32Gflops, double bf16Gflops) {

        /** Rows of the reference matmul: about the tokens of one scoring batch. */
        static final int ROWS = 1024;

        double best() {
            return Math.max(f32Gflops, bf16Gflops);
        }

        /** Each dtype's faster reading of this and {@code other}. */
        Matmul faster(Matmul other) {
            return new Matmul(m, Math.max(f32Gflops, other.f32Gflops), Math.max(bf16Gflops, other.bf16Gflops));
        }
    }

    /**
     * One child: exit code, wall time, peak MiB (NaN if it reported none), the count and seconds of its work as
     * the command reported them (-1 and NaN if it did not), and its last stderr lines if it failed.
     */
    record Task(String name, int exitCode, double wallSeconds, double peakMib, int count, double seconds,
                List<String> failure) {

        boolean ok() {
            return exitCode == 0;
        }

        void report(PrintStream log) {
            if (ok()) {
                log.printf(Locale.ROOT, "%s: done in %.1f s, peak %s MiB%s%n", name, wallSeconds, mib(peakMib),
                        count < 0 ? "" : String.format(Locale.ROOT, "; %d in %.1f s", count, seconds));
                return;
            }
            log.printf(Locale.ROOT, "%s: FAILED with exit code %d after %.1f s, peak %s MiB; its stderr ends:%n",
                    name, exitCode, wallSeconds, mib(peakMib));
            failure.forEach(line -> log.println("  | " + line));
        }

        ObjectNode json() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("ok", ok()).put("exit_code", exitCode)
                    .put("wall_s", wallSeconds);
            putNumber(n, "peak_mib", peakMib);
            if (count >= 0) {
                n.put("count", count).put("seconds", seconds);
            }
            if (!ok()) {
                failure.forEach(n.putArray("stderr_tail")::add);
            }
            return n;
        }
    }

    /** Seconds per unlearning step, the model's loading and writing excluded. */
    double stepSeconds() {
        return unlearn.ok() && unlearn.count() > 0 ? unlearn.seconds() / unlearn.count() : Double.NaN;
    }

    double evalGflops() {
        return eval.ok() && eval.count() > 0 ? 2 * matmulParameters * promptTokens / eval.seconds() / 1e9 : Double.NaN;
    }

    double evalEfficiency() {
        return evalGflops() / matmul.best();
    }

    boolean allSucceeded() {
        return unlearn.ok() && eval.ok() && generate.ok();
    }

    /** The figures behind the summary, with the formula. */
    void report(PrintStream log) {
        log.printf(Locale.ROOT, "eval: %d questions, %d prompt tokens, %.0f matmul parameters: %.1f GFLOP/s achieved;"
                        + " efficiency %.3f of F32 matmul, %.3f of BF16 matmul%n", shape.workload().questions(),
                promptTokens, matmulParameters, evalGflops(), evalGflops() / matmul.f32Gflops(),
                evalGflops() / matmul.bf16Gflops());
        log.println("formula: " + FORMULA);
    }

    /** The last line: {@code shape=S unlearn_peak_mib=A eval_peak_mib=B generate_peak_mib=C eval_efficiency=E step_s=T}. */
    String summaryLine() {
        return String.format(Locale.ROOT, "shape=%s unlearn_peak_mib=%s eval_peak_mib=%s generate_peak_mib=%s "
                        + "eval_efficiency=%s step_s=%s", shape.name(), peak(unlearn), peak(eval), peak(generate),
                figure(evalEfficiency(), eval, "%.2f"), figure(stepSeconds(), unlearn, "%.2f"));
    }

    ObjectNode json() {
        ObjectNode root = Json.MAPPER.createObjectNode().put("shape", shape.name()).put("parameters", parameters)
                .put("matmul_parameters", matmulParameters);
        ScaleShape.Workload w = shape.workload();
        root.putObject("workload").put("unlearn_steps", w.unlearnSteps()).put("batch", w.batch())
                .put("tokens", w.tokens()).put("questions", w.questions()).put("generated_tokens", w.generatedTokens());
        root.putObject("checkpoint").put("dir", checkpoint.dir().toString()).put("reused", checkpoint.reused())
                .put("seconds", checkpoint.seconds()).put("bytes", checkpoint.bytes());
        root.putObject("matmul").put("m", matmul.m()).put("f32_gflops", matmul.f32Gflops())
                .put("bf16_gflops", matmul.bf16Gflops());
        root.set("unlearn", unlearn.json());
        root.set("eval", eval.json());
        root.set("generate", generate.json());
        root.put("prompt_tokens", promptTokens);
        putNumber(root, "step_s", stepSeconds());
        putNumber(root, "eval_gflops", evalGflops());
        putNumber(root, "eval_efficiency", evalEfficiency());
        root.put("formula", FORMULA);
        return root;
    }

    private static String peak(Task t) {
        return t.ok() ? mib(t.peakMib()) : "failed";
    }

    private static String figure(double value, Task source, String format) {
        return !source.ok() ? "failed" : Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    private static String mib(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** JSON has no NaN: a missing figure is null. */
    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
