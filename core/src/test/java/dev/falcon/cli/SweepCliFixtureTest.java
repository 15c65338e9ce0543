package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.SharedData;
import dev.falcon.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code falcon sweep} on stories260K in this process: each configuration's folder holds what falcon unlearn
 * and falcon eval write when run by hand with the same options, and sweep.json lists each run once with the
 * metrics of its results.json. A bad grid is refused in one line naming the file, before any run.
 */
public class SweepCliFixtureTest {

    @TempDir
    static Path tmp;

    private static UnlearnFixture inputs;

    @BeforeAll
    static void prepare() throws IOException {
        inputs = UnlearnFixture.prepare(tmp);
    }

    /**
     * Two configurations (FALCON and RMU) of two steps each, scored on the lettered form of the MMLU dev
     * fixture's first questions (written into {@code dir}).
     */
    public static Path grid(Path dir, UnlearnFixture inputs) throws IOException {
        Files.write(mcq(dir), Files.readAllLines(SharedData.fixtures().resolve("mcq/mmlu_dev.jsonl")).subList(0, 60));
        return Files.writeString(dir.resolve("grid.yaml"), String.join("\n",
                "unlearn:",
                "  model: " + inputs.hf(),
                "  forget: [" + inputs.forget() + "]",
                "  retain: " + inputs.retain(),
                "  layer: 3",
                "  max-batches: 2",
                "  lr: 1e-3",
                "grid:",
                "  method: [falcon, rmu]",
                "eval:",
                "  mcq: [" + mcq(dir) + "]",
                "  batch-size: 16",
                "  no-cloze: true",
                ""));
    }

    private static Path mcq(Path dir) {
        return dir.resolve("mmlu_dev.jsonl");
    }

    @Test
    void eachRunHoldsWhatUnlearnAndEvalWriteByHand() throws IOException {
        Path root = tmp.resolve("sweep");
        assertEquals(0, Main.run("sweep", "--grid", grid(tmp, inputs).toString(), "--out", root.toString()));
        JsonNode sweep = Json.MAPPER.readTree(root.resolve("sweep.json").toFile());
        JsonNode runs = sweep.get("runs");
        assertEquals(List.of("method-falcon", "method-rmu"), List.of(runs.get(0).get("name").asText(),
                runs.get(1).get("name").asText()));
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(Set.of("method-falcon", "method-rmu", "sweep.json", "sweep.md"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "nothing else in ROOT");
        }
        for (JsonNode run : runs) {
            String method = run.get("settings").get("method").asText();
            Path folder = root.resolve(run.get("name").asText());
            assertEquals("done", run.get("status").asText());
            assertEquals(method, Json.MAPPER.readTree(folder.resolve("falcon-run.json").toFile()).get("method").asText());
            JsonNode results = Json.MAPPER.readTree(folder.resolve("results.json").toFile());
            assertEquals(results.get("results").get("mmlu_dev").get("acc").doubleValue(),
                    run.get("metrics").get("mmlu_dev.acc").doubleValue());
            assertFalse(run.get("metrics").has("mmlu_dev.n"), "counts are not metrics");
        }
        // RMU by hand: the same edited tensors and the same scores as its run of the sweep
        Path byHand = tmp.resolve("rmu-by-hand");
        assertEquals(0, Main.run("unlearn", "--model", inputs.hf().toString(), "--forget", inputs.forget().toString(),
                "--retain", inputs.retain().toString(), "--layer", "3", "--max-batches", "2", "--lr", "1e-3",
                "--method", "rmu", "--out", byHand.toString()));
        assertEquals(0, Main.run("eval", "--model", byHand.toString(), "--mcq", mcq(tmp).toString(), "--batch-size",
                "16", "--no-cloze", "--out", byHand.resolve("results.json").toString()));
        assertEquals(Json.MAPPER.readTree(byHand.resolve("results.json").toFile()),
                Json.MAPPER.readTree(root.resolve("method-rmu/results.json").toFile()));
        assertTrue(Files.readString(root.resolve("sweep.md")).startsWith("| run | method | status | mmlu_dev.acc |"));
        // a second sweep into the same folder needs --overwrite, and leaves the runs alone without it
        Map.Entry<Integer, String> again = UnlearnFixture.runCapturingErr(List.of("sweep", "--grid",
                grid(tmp, inputs).toString(), "--out", root.toString()));
        assertEquals(2, again.getKey(), again.getValue());
        assertTrue(again.getValue().contains(root.resolve("method-falcon") + ": already exists"), again.getValue());
    }

    @Test
    void aBadGridIsRefusedInOneLineNamingTheFile() throws IOException {
        String valid = Files.readString(grid(tmp, inputs));
        assertRefused(valid.replace("method: [falcon, rmu]", "method: falcon"), "grid: method must be a list");
        assertRefused(valid.replace("  layer: 3", "  layer: 3\n  colour: red"), "run method-falcon: Unknown option");
        assertRefused(valid.replace("  layer: 3", "  layer: 3\n  optimizer: adamw"),
                "run method-rmu: --optimizer does not apply to --method rmu");
        assertRefused(valid.replace("eval:", "eval:\n  spark: local[2]"), "eval: spark is set by falcon sweep");
        assertRefused(valid.replace("grid:", "grids:"), "unknown section 'grids'");
        assertRefused(valid.replace("[falcon, rmu]", "[falcon, falcon]"), "two runs are named method-falcon");
        assertRefused("unlearn: [unclosed", "cannot read grid");
    }

    private static void assertRefused(String grid, String expected) throws IOException {
        Path file = Files.writeString(tmp.resolve("bad-grid.yaml"), grid);
        Path root = tmp.resolve("refused");
        List<String> args = new ArrayList<>(List.of("sweep", "--grid", file.toString(), "--out", root.toString()));
        Map.Entry<Integer, String> r = UnlearnFixture.runCapturingErr(args);
        assertEquals(2, r.getKey(), r.getValue());
        assertEquals(1, r.getValue().lines().count(), r.getValue());
        assertTrue(r.getValue().startsWith("error: " + file + ": "), r.getValue());
        assertTrue(r.getValue().contains(expected), r.getValue());
        assertFalse(Files.exists(root), "nothing written for " + expected);
    }
}
