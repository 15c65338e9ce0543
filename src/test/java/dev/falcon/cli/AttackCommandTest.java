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
        JsonNode results = new ObjectMapper().readTree(out.toFile()).get("results");
        JsonNode model = results.get("model").get("accuracy_by_layer");
        assertEquals(5, model.size(), "stories260K has 5 layers");
        assertEquals(model, results.get("original").get("accuracy_by_layer"), "the same weights read the same");
        assertEquals(2, results.get("model").get("questions").asInt());
    }

    @Test
    void relearningCurveHasStepZeroAndTheLastStep() throws IOException {
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "The cat sat on the mat.\nLily found a blue stone.\nTom ran to the park.\n");
        Path out = tmp.resolve("relearn.json");
        assertEquals(0, run(common(), "--kind", "relearn", "--forget-data", forget.toString(), "--documents", "2",
                "--steps", "3", "--eval-every", "2", "--lr", "1e-3", "--out", out.toString()));
        JsonNode curve = new ObjectMapper().readTree(out.toFile()).get("results").get("model").get("curve");
        assertEquals(3, curve.size());
        assertEquals(0, curve.get(0).get("step").asInt());
        assertEquals(2, curve.get(1).get("step").asInt());
        assertEquals(3, curve.get(2).get("step").asInt());
    }

    @Test
    void badInputExitsWithTwoAndWritesNothing() throws IOException {
        Path out = tmp.resolve("never.json");
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "One document.\n");
        String[] c = common();
        assertEquals(2, run(c, "--kind", "gcg", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "relearn", "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "jailbreak", "--forget-data", forget.toString(), "--out", out.toString()));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--steps", "0"));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--eval-every", "0"));
        assertEquals(2, run(c, "--kind", "relearn", "--forget-data", forget.toString(), "--documents", "5"));
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
