package dev.falcon.cli;

import dev.falcon.demo.BaseModel;
import dev.falcon.demo.DemoListener;
import dev.falcon.demo.DemoPipeline;
import dev.falcon.demo.DemoResults;
import dev.falcon.demo.DemoSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The offline demo: trains a small Llama on a generated world of fictional facts (cached for later
 * runs), unlearns two of its domains with FALCON and RMU, and reports accuracy before and after.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small model on fictional facts, unlearn two domains with FALCON and RMU, "
                + "and write results.json and report.html.")
final class DemoCommand implements Runnable {

    @Option(names = "--out", defaultValue = "falcon-demo", description = "Output folder (default falcon-demo).")
    Path out;

    @Override
    public void run() {
        try (Bars bars = new Bars()) {
            DemoResults results = new DemoPipeline(DemoSettings.defaults(), BaseModel.cacheRoot(), bars).run(out);
            bars.done();
            System.out.print(results.table());
            System.out.printf("base model: %s (%s); MCQ form: %s; layer %d%n", results.base().folder(),
                    results.base().cached() ? "cached" : String.format("trained in %.0f s",
                            results.base().trainSeconds()), results.form().id(), results.layer());
            System.err.println("wrote " + out.resolve("results.json") + " and " + out.resolve("report.html"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One progress bar per phase. */
    private static final class Bars implements DemoListener, AutoCloseable {
        private ProgressBar bar;

        @Override
        public void phase(String name, int total) {
            done();
            bar = Progress.bar(name, total);
        }

        @Override
        public void step(String detail) {
            bar.step();
            bar.setExtraMessage(detail);
        }

        @Override
        public void done() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void note(String message) {
            System.err.println(message);
        }

        @Override
        public void close() {
            done();
        }
    }
}
