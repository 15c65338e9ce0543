package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.unlearn.UnlearnRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run of a sweep, the same in this process or on a cluster's executor: falcon unlearn with the
 * configuration's options, then falcon eval of the edited model, both into a hidden folder that is renamed to
 * ROOT/NAME only when complete. A retried task replaces its own folder the same way, so that ROOT holds each
 * run once and whole.
 *
 * @param root the sweep's output folder, absolute (every node must reach it)
 */
record SweepTask(SweepGrid.Configuration configuration, String root) implements ClusterTask<SweepRun> {

    /** The run folder's evaluation, beside the edited checkpoint and its falcon-run.json. */
    static final String RESULTS = "results.json";

    @Override
    public SweepRun call() {
        Path target = Path.of(root, configuration.name());
        Path work = target.resolveSibling("." + configuration.name() + ".partial-" + System.nanoTime());
        try {
            try {
                run(configuration.unlearnArgs(work));
            } catch (UnlearnRun.Stopped e) {
                // the last good weights and the record saying why are the run's outcome; there is nothing to evaluate
                String reason = Json.MAPPER.readTree(work.resolve("falcon-run.json").toFile()).path("stopped_early")
                        .asText(e.getMessage());
                OutputFolder.replace(target, work);
                return SweepRun.stopped(configuration, reason);
            }
            run(configuration.evalArgs(work));
            JsonNode results = Json.MAPPER.readTree(work.resolve(RESULTS).toFile());
            OutputFolder.replace(target, work);
            return SweepRun.done(configuration, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteLeftover(work);
        }
    }

    private static void run(java.util.List<String> args) {
        ((Runnable) Main.parse(args.toArray(String[]::new))).run();
    }

    /** A failed attempt's folder, so that it does not pile up in ROOT. */
    private static void deleteLeftover(Path work) {
        try {
            if (Files.exists(work)) {
                OutputFolder.deleteTree(work);
            }
        } catch (IOException e) {
            System.err.println("warning: cannot delete " + work + ": " + e.getMessage());
        }
    }
}
