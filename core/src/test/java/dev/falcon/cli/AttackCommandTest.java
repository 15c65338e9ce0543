package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** attack on stories260K (5 layers), against itself as the "original". */
class AttackCommandTest {

    @TempDir
    Path tmp;

    private String[] common() throws IOException {
        Path models = SharedData.data().resolve("models/stories260K");
        Path mcq = tmp.resolve("toy.jsonl");
        Files.writeString(mcq, """
                {"question": "Where did the cat sit?", "choices": ["mat", "tree", "car", "sky"], "answer": 0}
                {"question": "What color was the stone?", "choices": ["red", "blue", "green", "black"], "answer": 1}
                """);
        return new String[] {"attack", "--model", models.resolve("stories260K.bin").toString(), "--tokenizer",
            models.resolve("tok512.bin").toString(), "--original", models.resolve("stories260K.bin").toString(),
            "--mcq", mcq.toString()};
    }

    @Test
    void logitLensOfBothModelsIsWrittenAsJson() throws IOException {
        Path out = tmp.resolve("lens.json");
        assertEquals(0, run(common(), "--kind", "logit-lens", "--out", out.toString()));
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertEquals("layer", root.get("budget_axis").asText());
        JsonNode results = root.get("results");
        JsonNode model = results.get("model").get("curve");
        assertEquals(5, model.size(), "stories260K has 5 layers");
        assertEquals(model, results.get("original").get("curve"), "the same weights read the same");
        assertEquals(2, model.get(0).get("n").asInt());
        assertEquals(2, model.get(0).get("ci95").size());
    }

    @Test
    void relearningCurveHasEveryBudgetOfDocumentsAndSteps() throws IOException {
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "The cat sat on the mat.\nLily found a blue stone.\nTom ran to the park.\n");
        Path out = tmp.resolve("relearn.json");
        assertEquals(0, run(common(), "--kind", "relearn", "--forget-data", forget.toString(), "--budgets",
                "2x0,2x2,2x3,3x1", "--lr", "1e-3", "--out", out.toString()));
        JsonNode model = new ObjectMapper().readTree(out.toFile()).get("results").get("model");
        JsonNode curve = model.get("curve");
        assertEquals(4, curve.size());
        assertEquals("2x3", curve.get(2).get("budget").asText());
        assertEquals(3, model.get("details").get("runs_by_documents").get("2").get("train_loss").size());
        assertEquals(1, model.get("details").get("runs_by_documents").get("3").get("train_loss").size());
    }

    /** Without --original only the model is attacked; the quantized formats are the budgets. */
    @Test
    void quantizeWithoutOriginal() throws IOException {
        String[] c = common();
        Path out = tmp.resolve("quantize.json");
        assertEquals(0, Main.run("attack", "--model", c[2], "--tokenizer", c[4], "--mcq", c[8], "--kind", "quantize",
                "--out", out.toString()));
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertEquals(1, root.get("results").size());
        assertEquals(4, root.get("results").get("model").get("curve").size());
        assertFalse(root.has("original"));
        assertEquals(4, root.get("results").get("model").get("curve").size());
        assertEquals("4-nf4", root.get("budgets").get(3).asText());
    }

    @Test
    void fewShotWithSeparateSolvedQuestions() throws IOException {
        Path shots = tmp.resolve("shots.jsonl");
        Files.writeString(shots, """
                {"question": "Who ran to the park?", "choices": ["Tom", "Lily", "Sue", "Ben"], "answer": 0}
                """);
        Path out = tmp.resolve("few.json");
        assertEquals(0, run(common(), "--kind", "few-shot", "--shots", shots.toString(), "--budgets", "0,1",
                "--out", out.toString()));
        JsonNode curve = new ObjectMapper().readTree(out.toFile()).get("results").get("model").get("curve");
        assertEquals(2, curve.size());
        assertEquals(2, curve.get(1).get("n").asInt());
    }

    /** Against itself as the original, the difference of means is zero: no direction, every budget the plain score. */
    @Test
    void directionAblationAgainstItselfChangesNothing() throws IOException {
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "The cat sat on the mat.\nLily found a blue stone.\n");
        Path out = tmp.resolve("ablation.json");
        assertEquals(0, run(common(), "--kind", "direction-ablation", "--forget-data", forget.toString(), "--out",
                out.toString()));
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertEquals("directions", root.get("budget_axis").asText());
        JsonNode curve = root.get("results").get("model").get("curve");
        assertEquals(4, curve.size());
        for (JsonNode point : curve) {
            assertEquals(curve.get(0).get("correct"), point.get("correct"));
        }
    }

    @Test
    void gcgWritesEachBudgetsSuffix() throws IOException {
        Path out = tmp.resolve("gcg.json");
        assertEquals(0, run(common(), "--kind", "gcg", "--gcg-held-out", "1", "--suffix-length", "3", "--top-k", "4",
                "--candidates", "4", "--budgets", "0,2", "--out", out.toString()));
        JsonNode model = new ObjectMapper().readTree(out.toFile()).get("results").get("model");
        assertEquals(1, model.get("curve").get(1).get("n").asInt(), "one question held out, one scored");
        assertEquals(3, model.get("details").get("suffix_by_budget").get("2").size());
        assertTrue(model.get("details").get("held_out_loss_by_budget").get("2").asDouble()
                <= model.get("details").get("held_out_loss_by_budget").get("0").asDouble());
    }

    @Test
    void badInputExitsWithTwoAndWritesNothing() throws IOException {
        Path out = tmp.resolve("never.json");
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "One document.\n");
        String[] c = common();
        assertEquals(2, run(c, "--kind", "nonesuch", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "gcg", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "direction-ablation", "--out", out.toString()));
        assertEquals(2, Main.run("attack", "--model", c[2], "--tokenizer", c[4], "--mcq", c[8], "--kind",
                "direction-ablation", "--forget-data", forget.toString(), "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "relearn", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "jailbreak", "--forget-data", forget.toString(), "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--budgets", "1x-1"));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--budgets", "5x1"));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--lr", "0"));
        assertEquals(2, run(c, "--kind", "finetune-unrelated", "--forget-data", forget.toString()));
        assertEquals(2, run(c, "--kind", "quantize", "--budgets", "3", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "few-shot", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "logit-lens", "--budgets", "5", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", tmp.resolve("missing.txt").toString()));
        assertEquals(2, run(c, "--kind", "logit-lens", "--out", tmp.resolve("no/such/dir.json").toString()));
        assertEquals(2, Main.run("attack", "--model", c[2], "--tokenizer", c[4], "--original",
                tmp.resolve("missing").toString(), "--mcq", c[8], "--kind", "jailbreak"));
        assertEquals(2, Main.run("attack", "--model", c[2], "--tokenizer", c[4], "--original", c[6], "--mcq",
                tmp.resolve("missing.jsonl").toString(), "--kind", "jailbreak"));
        assertFalse(Files.exists(out));
    }

    private static int run(String[] common, String... more) {
        String[] args = Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        return Main.run(args);
    }
}
