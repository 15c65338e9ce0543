package dev.falcon.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.SharedData;
import dev.falcon.cli.Main;
import dev.falcon.engine.Engine;
import dev.falcon.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code falcon eval --spark} on the MMLU dev fixture with stories260K gives the results.json of the
 * single-machine run: the same per-question log-likelihoods (compared as doubles, not within a tolerance),
 * however the batches are split into tasks and retried.
 */
class SparkEvalFixtureTest {

    @TempDir
    static Path tmp;

    private static JsonNode single;

    @BeforeAll
    static void singleMachine() throws IOException {
        single = eval("single.json");
    }

    @Test
    void localModeGivesTheSingleMachineResults() throws IOException {
        assertSameResults(eval("local2.json", "--spark", "local[2]"));
    }

    /** Two concurrent task slots (one core a task): eight tasks in an order of the scheduler's. */
    @Test
    void otherPartitioningGivesTheSameResults() throws IOException {
        System.setProperty("spark.task.cpus", "1");
        try {
            assertSameResults(eval("slots2.json", "--spark", "local[2]"));
        } finally {
            System.clearProperty("spark.task.cpus");
        }
    }

    /** The first attempt of a task fails; Spark runs it again and the results count it once. */
    @Test
    void retriedTaskLeavesTheResultsUnchanged() throws IOException {
        int before = FaultInjection.injected();
        System.setProperty(FaultInjection.KEY, "1");
        try {
            assertSameResults(eval("retried.json", "--spark", "local[2,2]"));
        } finally {
            System.clearProperty(FaultInjection.KEY);
        }
        // lettered and cloze forms: one job each, each with its injected failure
        assertEquals(2, FaultInjection.injected() - before);
    }

    /**
     * Two executor JVMs of this JVM's thread count in cores each, launched by Spark's standalone workers from a Spark home made of this
     * JVM's class path ({@link LocalClusterHome}): each opens the model itself and scores its tasks' batches.
     */
    @Test
    void localClusterGivesTheSingleMachineResults() throws IOException {
        System.setProperty("spark.executor.extraClassPath", LocalClusterHome.prepare());
        try {
            // each executor's libtorch runs as many threads as its cores, and the thread count changes the
            // order of float sums: executors of this JVM's thread count give its results to the bit
            assertSameResults(eval("cluster.json", "--spark", "local-cluster[2," + Engine.threads() + ",2048]"));
        } finally {
            System.clearProperty("spark.executor.extraClassPath");
        }
    }

    private static void assertSameResults(JsonNode spark) {
        JsonNode expected = single.get("samples").get("mmlu_dev");
        JsonNode actual = spark.get("samples").get("mmlu_dev");
        int n = questions();
        assertEquals(n, expected.size());
        assertEquals(n, actual.size());
        for (int q = 0; q < n; q++) {
            for (String field : new String[] {"loglikelihoods", "cloze_loglikelihoods"}) {
                assertEquals(doubles(expected.get(q).get(field)), doubles(actual.get(q).get(field)),
                        "question " + q + " " + field);
            }
        }
        assertEquals(single.get("results"), spark.get("results"));
        assertEquals(single, spark);
    }

    private static List<Double> doubles(JsonNode array) {
        assertTrue(array.isArray() && !array.isEmpty(), "an array of log-likelihoods: " + array);
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.doubleValue()));
        return out;
    }

    /** The fixture's questions: one a non-blank line. */
    private static int questions() {
        try {
            return (int) Files.readAllLines(fixture()).stream().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixture() {
        return SharedData.fixtures().resolve("mcq/mmlu_dev.jsonl");
    }

    private static JsonNode eval(String name, String... cluster) throws IOException {
        Path dir = SharedData.data().resolve("models/stories260K");
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("eval", "--model", dir.resolve("stories260K.bin").toString(),
                "--tokenizer", dir.resolve("tok512.bin").toString(), "--mcq", fixture().toString(),
                "--batch-size", "16", "--out", out.toString()));
        args.addAll(List.of(cluster));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        return Json.MAPPER.readTree(out.toFile());
    }
}
