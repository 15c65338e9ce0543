package dev.falcon.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.cli.Main;
import dev.falcon.cli.SweepCliFixtureTest;
import dev.falcon.cli.UnlearnFixture;
import dev.falcon.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code falcon sweep --spark local[2,2]} (one configuration a task) gives the single-machine sweep: the same
 * sweep.json and, per run, the same results.json (per-question log-likelihoods compared as doubles), with a
 * task that failed after writing its run folder retried: the retry replaces the folder and the run is listed once.
 */
class SparkSweepTest {

    @TempDir
    Path tmp;

    @Test
    void sparkSweepEqualsTheSingleMachineSweep() throws IOException {
        Path grid = SweepCliFixtureTest.grid(tmp, UnlearnFixture.prepare(tmp));
        Path single = tmp.resolve("single");
        assertEquals(0, Main.run("sweep", "--grid", grid.toString(), "--out", single.toString()));
        Path spark = tmp.resolve("spark");
        int before = FaultInjection.injected();
        System.setProperty(FaultInjection.KEY, "1");
        try {
            assertEquals(0, Main.run("sweep", "--grid", grid.toString(), "--out", spark.toString(),
                    "--spark", "local[2,2]"));
        } finally {
            System.clearProperty(FaultInjection.KEY);
        }
        assertEquals(1, FaultInjection.injected() - before, "the second run's first attempt failed");
        JsonNode expected = Json.MAPPER.readTree(single.resolve("sweep.json").toFile());
        assertEquals(expected, Json.MAPPER.readTree(spark.resolve("sweep.json").toFile()));
        assertEquals(Files.readString(single.resolve("sweep.md")), Files.readString(spark.resolve("sweep.md")));
        for (JsonNode run : expected.get("runs")) {
            String name = run.get("name").asText();
            assertEquals(Json.MAPPER.readTree(single.resolve(name).resolve("results.json").toFile()),
                    Json.MAPPER.readTree(spark.resolve(name).resolve("results.json").toFile()), name);
        }
        try (Stream<Path> files = Files.list(spark)) {
            assertEquals(Set.of("method-falcon", "method-rmu", "sweep.json", "sweep.md"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no attempt's folder left");
        }
    }
}
