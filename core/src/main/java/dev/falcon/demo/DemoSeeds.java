package dev.falcon.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.eval.Accuracy;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.unlearn.Method;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The whole demo once per seed (world, base model, unlearning and attacks all follow the seed), so that
 * its claims are judged over seeds rather than on one: per model and domain the mean, min and max
 * accuracy over seeds, and per seed whether the demo's three claims hold.
 */
public final class DemoSeeds {

    /** The base model must know every domain: at least this accuracy on each. */
    public static final double BASE_MIN = 0.85;
    /** FALCON must take every forget domain to at most this accuracy (chance is 25%). */
    public static final double FORGET_MAX = 0.35;
    /** FALCON may cost a retain domain at most this much accuracy against the base model. */
    public static final double RETAIN_DROP_MAX = 0.05;

    /** One seed's run: its results and the wall-clock time of the whole demo, training included. */
    public record Run(long seed, DemoResults results, double seconds) {

        /** Per model ("base", then each method), per domain accuracy. */
        Map<String, Map<String, Accuracy>> accuracy() {
            Map<String, Map<String, Accuracy>> out = new LinkedHashMap<>();
            out.put("base", results.baseScores().accuracy());
            results.methods().forEach(m -> out.put(m.name(), m.scores().accuracy()));
            return out;
        }

        /** The claims that fail for this seed, one line each; empty when all hold. */
        public List<String> failedClaims() {
            List<String> failed = new ArrayList<>();
            Map<String, Accuracy> base = results.baseScores().accuracy();
            Map<String, Accuracy> falcon = accuracy().get(Method.FALCON.label());
            results.world().domains().forEach(d -> {
                double b = base.get(d.name()).value();
                double f = falcon.get(d.name()).value();
                if (b < BASE_MIN) {
                    failed.add(String.format("base %s %.1f%% < %.0f%%", d.name(), 100 * b, 100 * BASE_MIN));
                }
                if (d.forget() && f > FORGET_MAX) {
                    failed.add(String.format("falcon %s %.1f%% > %.0f%%", d.name(), 100 * f, 100 * FORGET_MAX));
                }
                if (!d.forget() && f < b - RETAIN_DROP_MAX - 1e-12) {
                    failed.add(String.format("falcon %s %.1f%% < base %.1f%% - %.0f points", d.name(), 100 * f,
                            100 * b, 100 * RETAIN_DROP_MAX));
                }
            });
            return failed;
        }
    }

    private final LongFunction<DemoSettings> settings;
    private final Path cacheRoot;
    private final DemoListener listener;

    /** {@code settings} gives the recipe for a seed; base models are cached under {@code cacheRoot}. */
    public DemoSeeds(LongFunction<DemoSettings> settings, Path cacheRoot, DemoListener listener) {
        this.settings = settings;
        this.cacheRoot = cacheRoot;
        this.listener = listener;
    }

    /** Runs the demo for every seed into out/seed-N, printing each seed's table as it finishes. */
    public List<Run> run(List<Long> seeds, Path out, PrintStream stdout) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (long seed : seeds) {
            long start = System.nanoTime();
            // without the audit (falcon demo --no-audit): the bench measures the unlearning over seeds, and a
            // seed's audit would take longer than the rest of its demo
            DemoResults results = new DemoPipeline(settings.apply(seed), cacheRoot, listener, false)
                    .run(out.resolve("seed-" + seed));
            Run run = new Run(seed, results, (System.nanoTime() - start) / 1e9);
            runs.add(run);
            stdout.printf("%nseed %d: %.0f s (base model %s)%n%s", seed, run.seconds(),
                    results.base().cached() ? "cached" : String.format("trained in %.0f s",
                            results.base().trainSeconds()), results.table());
            stdout.println(run.failedClaims().isEmpty() ? "claims hold" : "claims FAIL: " + run.failedClaims());
        }
        return runs;
    }

    /** Per model and domain: mean, min and max accuracy over the seeds, in percent; then each seed's verdict. */
    public static String summary(List<Run> runs) {
        StringBuilder out = new StringBuilder(String.format("%nover %d seeds %s (accuracy %%: mean [min, max])%n%-8s",
                runs.size(), runs.stream().map(Run::seed).toList(), "model"));
        Map<String, Map<String, DoubleSummaryStatistics>> values = collect(runs);
        values.values().iterator().next().keySet().forEach(d -> out.append(String.format(" %-21s", d)));
        out.append('\n');
        values.forEach((model, domains) -> {
            out.append(String.format("%-8s", model));
            domains.values().forEach(v -> out.append(String.format(" %-21s", String.format("%.1f [%.1f, %.1f]",
                    100 * v.getAverage(), 100 * v.getMin(), 100 * v.getMax()))));
            out.append('\n');
        });
        DoubleSummaryStatistics seconds = runs.stream().mapToDouble(Run::seconds).summaryStatistics();
        out.append(String.format("time per seed: mean %.0f s, max %.0f s%n", seconds.getAverage(),
                seconds.getMax()));
        runs.forEach(r -> out.append(String.format("seed %d: %s%n", r.seed(),
                r.failedClaims().isEmpty() ? "claims hold" : "FAIL " + r.failedClaims())));
        return out.toString();
    }

    /** {"seeds": [{"seed", "seconds", "failed_claims", "accuracy": {model: {domain: ACC}}}], "summary": ...}. */
    public static void write(List<Run> runs, Path file) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode seeds = root.putArray("seeds");
        for (Run r : runs) {
            ObjectNode node = seeds.addObject().put("seed", r.seed()).put("seconds", r.seconds());
            r.failedClaims().forEach(node.putArray("failed_claims")::add);
            ObjectNode acc = node.putObject("accuracy");
            r.accuracy().forEach((model, domains) -> {
                ObjectNode m = acc.putObject(model);
                domains.forEach((d, a) -> m.set(d, a.toJson()));
            });
        }
        ObjectNode summary = root.putObject("summary");
        collect(runs).forEach((model, domains) -> {
            ObjectNode m = summary.putObject(model);
            domains.forEach((d, v) -> m.putObject(d).put("mean", v.getAverage()).put("min", v.getMin())
                    .put("max", v.getMax()));
        });
        AtomicFiles.writeString(file, Json.pretty(root) + "\n");
    }

    /** Per model and domain, the accuracies over the seeds. */
    private static Map<String, Map<String, DoubleSummaryStatistics>> collect(List<Run> runs) {
        Map<String, Map<String, DoubleSummaryStatistics>> out = new LinkedHashMap<>();
        for (Run r : runs) {
            r.accuracy().forEach((model, domains) -> domains.forEach((d, a) -> out
                    .computeIfAbsent(model, k -> new LinkedHashMap<>())
                    .computeIfAbsent(d, k -> new DoubleSummaryStatistics()).accept(a.value())));
        }
        return out;
    }
}
