package dev.falcon.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs every unlearning configuration of a grid ({@link SweepGrid}): each is falcon unlearn then falcon eval
 * into ROOT/NAME ({@link SweepTask}), one after another here or, with --spark, one Spark task each; then
 * ROOT/sweep.json and ROOT/sweep.md, a table of all runs: name, crossed settings, status and metrics.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Unlearn and evaluate every configuration of a grid file (method x hyperparameters x seed), "
                + "here or one Spark task each; a table of all runs at the end.")
final class SweepCommand implements Runnable {

    @Option(names = "--grid", required = true, paramLabel = "FILE",
            description = "The grid (YAML or JSON): 'unlearn' options every run shares, 'grid' options with lists "
                    + "of values to cross, 'eval' options for each run's model.")
    Path grid;

    @Option(names = "--out", required = true, paramLabel = "ROOT",
            description = "Output folder: ROOT/RUN holds each run's checkpoint, falcon-run.json and results.json; "
                    + "ROOT/sweep.json and ROOT/sweep.md the table.")
    Path out;

    @Option(names = "--overwrite", description = "Replace run folders an earlier sweep left in ROOT.")
    boolean overwrite;

    @Mixin
    ClusterOptions cluster;

    @Override
    public void run() {
        Path root = out.toAbsolutePath().normalize();
        SweepGrid g = SweepGrid.read(grid, root);
        List<SweepTask> tasks = new ArrayList<>();
        for (SweepGrid.Configuration c : g.configurations()) {
            if (Files.exists(root.resolve(c.name())) && !overwrite) {
                throw new InputException(root.resolve(c.name()), "already exists (use --overwrite to replace it)");
            }
            tasks.add(new SweepTask(c, root.toString()));
        }
        createFolder(root);
        List<SweepRun> runs;
        try (Cluster executors = cluster.connect("falcon sweep").orElse(null)) {
            runs = executors == null ? tasks.stream().map(SweepTask::call).toList()
                    : executors.runEach(tasks, "falcon sweep: " + tasks.size() + " runs of " + grid);
        }
        String table = table(g, runs);
        write(root.resolve("sweep.json"), Json.pretty(json(g, runs)) + "\n");
        write(root.resolve("sweep.md"), table);
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.print(table);
        stdout.println("sweep written to " + root.resolve("sweep.json"));
    }

    private static void createFolder(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new InputException(root, "cannot create the output folder: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new InputException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    /** {"grid": FILE, "crossed": [OPTION...], "runs": [run, ...]}, the runs in the grid's order. */
    private static ObjectNode json(SweepGrid g, List<SweepRun> runs) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("grid", g.file().toString());
        ArrayNode crossed = root.putArray("crossed");
        g.crossed().forEach(crossed::add);
        ArrayNode list = root.putArray("runs");
        runs.forEach(r -> list.add(r.toJson()));
        return root;
    }

    /**
     * A Markdown table: run, crossed settings, status, then each metric any run has (standard errors left to
     * sweep.json).
     */
    static String table(SweepGrid g, List<SweepRun> runs) {
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> r.metrics().keySet().stream().filter(m -> !m.endsWith("_stderr")).forEach(metrics::add));
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(g.crossed());
        header.add("status");
        header.addAll(metrics);
        StringBuilder md = new StringBuilder();
        row(md, header);
        row(md, header.stream().map(h -> "---").toList());
        for (SweepRun r : runs) {
            List<String> cells = new ArrayList<>(List.of(r.name()));
            g.crossed().forEach(k -> cells.add(r.settings().get(k)));
            cells.add(r.reason() == null ? r.status() : r.status() + ": " + r.reason());
            metrics.forEach(m -> cells.add(r.metrics().containsKey(m)
                    ? String.format(Locale.ROOT, "%.4f", r.metrics().get(m)) : ""));
            row(md, cells);
        }
        return md.toString();
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
