package dev.falcon.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.InputException;
import dev.falcon.data.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalResultsTest {

    @TempDir
    Path tmp;

    private static McqResult oneQuestion() {
        McqResult.Choices lettered = McqResult.Choices.of(new double[] {-2.0, -1.0}, List.of("x", "y"));
        return new McqResult("quiz", List.of(new McqResult.Sample(0, 1, lettered, null)),
                List.of(new Problem(Path.of("quiz.jsonl"), 4, "missing answer")));
    }

    /** One question: acc 1, and the sample standard deviation (n - 1 = 0) is undefined, written as null. */
    @Test
    void undefinedStderrIsNull() throws IOException {
        EvalResults results = new EvalResults();
        results.addMcq(oneQuestion());
        JsonNode root = new ObjectMapper().readTree(results.toJson());
        JsonNode task = root.get("results").get("quiz");
        assertEquals(1.0, task.get("acc").asDouble());
        assertTrue(task.get("acc_stderr").isNull());
        assertEquals(1, root.get("samples").get("quiz").get(0).get("pred").asInt());
        assertEquals(4, root.get("problems").get(0).get("line").asInt());
    }

    @Test
    void sameTaskTwiceIsRefused() {
        EvalResults results = new EvalResults();
        results.addMcq(oneQuestion());
        assertThrows(InputException.class, () -> results.addMcq(oneQuestion()));
    }

    @Test
    void truthRatiosRoundTripAsReference() {
        TofuResult forget = new TofuResult("forget01", TofuResult.Kind.FORGET, List.of(
                new TofuResult.Sample("q1", 0.5, 0.8, "a", 1.0),
                new TofuResult.Sample("q2", 0.25, 1.25, "b", 0.0)));
        EvalResults results = new EvalResults();
        results.addTofu(forget, Double.NaN);
        Path file = tmp.resolve("results.json");
        results.write(file);
        assertArrayEquals(new double[] {0.8, 1.25}, EvalResults.referenceTruthRatios(file, "forget01"));
        InputException e = assertThrows(InputException.class, () -> EvalResults.referenceTruthRatios(file, "forget05"));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    void unreadableReferenceIsAnInputError() throws IOException {
        Path file = tmp.resolve("broken.json");
        Files.writeString(file, "{\"tofu\": ");
        assertThrows(InputException.class, () -> EvalResults.referenceTruthRatios(file, "forget01"));
        assertThrows(InputException.class, () -> EvalResults.referenceTruthRatios(tmp.resolve("none.json"), "forget01"));
    }
}
