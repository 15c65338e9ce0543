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

    private static MembershipInference.Result miaResult(double[] forget, double[] holdout) {
        java.util.Map<MembershipScore, double[]> f = new java.util.EnumMap<>(MembershipScore.class);
        java.util.Map<MembershipScore, double[]> h = new java.util.EnumMap<>(MembershipScore.class);
        for (MembershipScore s : MembershipScore.values()) {
            f.put(s, forget);
            h.put(s, holdout);
        }
        MembershipInference mi = new MembershipInference(null, MembershipInference.Settings.DEFAULT);
        return mi.compare(new MembershipInference.Scores(forget.length, f), new MembershipInference.Scores(holdout.length, h));
    }

    /**
     * Forget {1, 2, 3} against held-out {2, 3, 4}: AUC 7/9 on every score. Against a reference at 0.5,
     * PrivLeak = ((1 - 7/9) - 0.5) / 0.5 * 100 = -500/9. The AUCs read back as a reference.
     */
    @Test
    void miaResultsAndTheirReadBack() throws IOException {
        EvalResults results = new EvalResults();
        MembershipInference.Result r = miaResult(new double[] {1, 2, 3}, new double[] {2, 3, 4});
        java.util.Map<MembershipScore, Double> reference = new java.util.EnumMap<>(MembershipScore.class);
        for (MembershipScore s : MembershipScore.values()) {
            reference.put(s, 0.5);
        }
        results.addMia("forget", "holdout", r, reference);
        JsonNode mia = new ObjectMapper().readTree(results.toJson()).get("mia");
        assertEquals(3, mia.get("n_forget").asInt());
        assertEquals(3, mia.get("n_holdout").asInt());
        assertEquals(0.4, mia.get("k").asDouble());
        assertEquals(7.0 / 9, mia.get("auc").get("min_k++").asDouble(), 1e-15);
        assertEquals(0.5, mia.get("reference_auc").get("zlib").asDouble());
        assertEquals("min_k", mia.get("privleak_score").asText());
        assertEquals(-500.0 / 9, mia.get("privleak").asDouble(), 1e-9);
        assertEquals(4.0, mia.get("scores").get("holdout").get("loss").get(2).asDouble());
        Path file = tmp.resolve("results.json");
        results.write(file);
        assertEquals(7.0 / 9, EvalResults.referenceMiaAuc(file, 3, 3).get(MembershipScore.MIN_K), 1e-15);
        InputException e = assertThrows(InputException.class, () -> EvalResults.referenceMiaAuc(file, 3, 4));
        assertTrue(e.getMessage().contains("3 forget and 3 held-out"), e.getMessage());
    }

    @Test
    void withoutAReferenceThereIsNoPrivLeak() throws IOException {
        EvalResults results = new EvalResults();
        results.addMia("f", "h", miaResult(new double[] {1}, new double[] {2}), null);
        JsonNode mia = new ObjectMapper().readTree(results.toJson()).get("mia");
        assertEquals(1.0, mia.get("auc").get("loss").asDouble());
        assertTrue(mia.get("privleak") == null && mia.get("reference_auc") == null);
        Path file = tmp.resolve("old.json");
        new EvalResults().write(file);
        assertThrows(InputException.class, () -> EvalResults.referenceMiaAuc(file, 1, 1));
    }
}
