package dev.falcon.bench;

import picocli.CommandLine.Option;

/** The random-input batch and the repetitions of the speed benchmarks ({@code forward}, {@code unlearn}). */
final class BatchShape {

    @Option(names = "--batch", defaultValue = "4", description = "Sequences per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repetitions after one untimed warm-up "
            + "(default ${DEFAULT-VALUE}); the median is reported.")
    int repeats;
}
