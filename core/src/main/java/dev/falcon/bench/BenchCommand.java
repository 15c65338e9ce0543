package dev.falcon.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code falcon bench}: the benchmarks, one subcommand each; every figure is measured against a reference. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; every figure is measured side by side with a reference in the same run.",
        subcommands = {ForwardBench.class, UnlearnBench.class, TofuBenchCommand.class, DemoBench.class,
            ScaleBench.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Without a benchmark name: a usage error (exit 2) that lists them. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing benchmark: forward, unlearn, tofu, demo or scale");
    }
}
