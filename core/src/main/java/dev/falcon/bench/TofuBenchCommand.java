package dev.falcon.bench;

import dev.falcon.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code falcon bench tofu}: runs the TOFU comparison, prints its settings, timings and table. */
@Command(name = "tofu", mixinStandardHelpOptions = true,
        description = "Fine-tune on TOFU, unlearn forget01 with FALCON and the baselines, compare.")
final class TofuBenchCommand implements Runnable {

    @Option(names = "--data", defaultValue = "../shared/data",
            description = "The folder holding tofu/ and models/stories260K/ (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", description = "Also write every result as JSON to this file.")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", description = "Keep the fine-tuned and reference models in DIR "
            + "and reuse them while their recipe (base weights, training settings, data) is unchanged.")
    Path cache;

    @Override
    public void run() {
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
