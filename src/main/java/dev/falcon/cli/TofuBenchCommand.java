package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.bench.FineTuneCache;
import dev.falcon.bench.TofuBench;
import dev.falcon.bench.TofuBenchConfig;
import dev.falcon.bench.TofuBenchResult;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code falcon bench tofu}: runs the TOFU comparison, prints its settings, timings and table. */
final class TofuBenchCommand {

    private TofuBenchCommand() {
    }

    /** @param cache the fine-tuned models' cache folder, or null to train them in this run */
    static void run(Path data, Path out, Path cache) {
        if (!Files.isDirectory(data)) {
            throw new InputException(data, "data folder not found; pass --data DIR (the folder holding tofu/ and "
                    + "models/stories260K/)");
        }
        if (out != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new InputException(out, "the output folder does not exist");
        }
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        TofuBenchConfig config = TofuBenchConfig.defaults(data);
        stdout.println("config: " + config);
        TofuBenchResult result = new TofuBench(config, cache == null ? null : new FineTuneCache(cache), stdout).run();
        result.methodSettings().keySet().forEach(m -> stdout.println(m + " settings: " + result.settingsJson(m)));
        stdout.println("phase timings:");
        result.phases().all().forEach((phase, s) -> stdout.printf(Locale.ROOT, "  %-36s %7.1f s%n", phase, s));
        stdout.printf(Locale.ROOT, "  %-36s %7.1f s%n", "total", result.phases().total());
        stdout.println();
        stdout.print(result.table());
        if (out != null) {
            result.write(out);
            stdout.println("results written to " + out);
        }
    }
}
