package dev.falcon.bench;

import dev.falcon.demo.DemoProgress;
import dev.falcon.demo.DemoSeeds;
import dev.falcon.demo.DemoSettings;
import dev.falcon.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The whole demo once per seed, from fresh base models unless --cache says where earlier ones are. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole demo once per seed; accuracy mean, min and max over seeds.")
final class DemoBench implements Runnable {

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2,3,4", description = "The seeds to run "
            + "(default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--out", defaultValue = "falcon-bench-demo", description = "The output folder (default "
            + "${DEFAULT-VALUE}): seed-N/ per seed and bench-demo.json.")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where base models are cached (default: a new "
            + "folder cache/ inside --out, so every seed trains).")
    Path cache;

    @Override
    public void run() {
        Path models = cache == null ? out.resolve("cache") : cache;
        System.out.printf("demo over seeds %s, %d libtorch threads, base models in %s%n", seeds, Engine.threads(),
                models);
        try (DemoProgress bars = new DemoProgress()) {
            List<DemoSeeds.Run> runs = new DemoSeeds(DemoSettings::forSeed, models, bars).run(seeds, out, System.out);
            System.out.print(DemoSeeds.summary(runs));
            DemoSeeds.write(runs, out.resolve("bench-demo.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
