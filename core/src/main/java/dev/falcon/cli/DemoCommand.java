package dev.falcon.cli;

import dev.falcon.demo.BaseModel;
import dev.falcon.demo.DemoPipeline;
import dev.falcon.demo.DemoProgress;
import dev.falcon.demo.DemoResults;
import dev.falcon.demo.DemoSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The offline demo: trains a small Llama on a generated world of fictional facts (cached for later
 * runs), unlearns two of its domains with FALCON, RMU and NPO, audits each unlearned model with falcon
 * audit's attack battery (unless --no-audit), and reports accuracy before and after and the audits' worst cases.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small model on fictional facts, unlearn two domains with FALCON, RMU and NPO, audit "
                + "each result, and write results.json, report.html and the models.")
final class DemoCommand implements Runnable {

    @Option(names = "--out", defaultValue = "falcon-demo", description = "Output folder (default falcon-demo).")
    Path out;

    @Option(names = "--seed", defaultValue = "" + DemoSettings.DEFAULT_SEED, description = "Seeds the world, the "
            + "base model's training, the unlearning and the attacks (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-audit", description = "Skip the audit of the unlearned models (the longest part of a "
            + "first run after training).")
    boolean noAudit;

    @Override
    public void run() {
        try (DemoProgress bars = new DemoProgress()) {
            DemoResults results = new DemoPipeline(DemoSettings.forSeed(seed), BaseModel.cacheRoot(), bars, !noAudit)
                    .run(out);
            bars.done();
            System.out.print(results.table());
            System.out.printf("seed %d; base model: %s (%s); MCQ form: %s; layer %d%n", seed, results.base().folder(),
                    results.base().cached() ? "cached" : String.format("trained in %.0f s",
                            results.base().trainSeconds()), results.form().id(), results.layer());
            results.auditCommand().ifPresent(c -> System.out.println("audit the FALCON model by hand with:\n" + c));
            System.err.println("wrote " + out.resolve("results.json") + " and " + out.resolve("report.html"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
