package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code falcon eval} with stories260K against lm-eval's scores of the MMLU dev fixture. */
class EvalFixtureTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    /** {@code falcon eval} on stories260K with the given options. */
    private static String[] eval(String... options) {
        Path dir = SharedData.data().resolve("models/stories260K");
        String[] head = {"eval", "--model", dir.resolve("stories260K.bin").toString(),
            "--tokenizer", dir.resolve("tok512.bin").toString()};
        String[] all = java.util.Arrays.copyOf(head, head.length + options.length);
        System.arraycopy(options, 0, all, head.length, options.length);
        return all;
    }

    @Test
    void reproducesLmEvalOnMmluDev() throws IOException {
        Path mcq = SharedData.fixtures().resolve("mcq");
        Path out = tmp.resolve("results.json");
        JsonNode expected = MAPPER.readTree(mcq.resolve("mmlu_dev_stories260K.json").toFile());
        int n = expected.get("n").asInt();
        long start = System.nanoTime();
        assertEquals(0, Main.run(eval("--mcq", mcq.resolve("mmlu_dev.jsonl").toString(),
                "--batch-size", "16", "--out", out.toString())));
        System.out.printf("eval of %d questions (lettered + cloze) incl. loading: %.1f s%n",
                n, (System.nanoTime() - start) / 1e9);
        JsonNode actual = MAPPER.readTree(out.toFile());
        JsonNode task = actual.get("results").get("mmlu_dev");
        assertEquals(n, task.get("n").asInt());
        assertEquals(n, expected.get("questions").size());
        double p = expected.get("acc").asDouble();
        assertEquals(p, task.get("acc").asDouble(), 1e-12);
        // lm-eval's stderr of a proportion: sqrt(p (1 - p) / (n - 1))
        assertEquals(Math.sqrt(p * (1 - p) / (n - 1)), task.get("acc_stderr").asDouble(), 1e-12);
        assertEquals(expected.get("cloze_acc").asDouble(), task.get("cloze_acc").asDouble(), 1e-12);
        assertEquals(expected.get("cloze_acc_norm").asDouble(), task.get("cloze_acc_norm").asDouble(), 1e-12);
        JsonNode samples = actual.get("samples").get("mmlu_dev");
        double lettered = 0;
        double cloze = 0;
        for (JsonNode q : expected.get("questions")) {
            JsonNode s = samples.get(q.get("index").asInt());
            String where = "question " + q.get("index").asInt();
            assertEquals(q.get("index").asInt(), s.get("index").asInt());
            assertEquals(q.get("gold").asInt(), s.get("gold").asInt(), where);
            assertEquals(q.get("pred").asInt(), s.get("pred").asInt(), where);
            assertEquals(q.get("cloze_pred").asInt(), s.get("cloze_pred").asInt(), where);
            assertEquals(q.get("cloze_pred_norm").asInt(), s.get("cloze_pred_norm").asInt(), where);
            lettered = Math.max(lettered, maxAbsDiff(q.get("loglikelihoods"), s.get("loglikelihoods")));
            cloze = Math.max(cloze, maxAbsDiff(q.get("cloze_loglikelihoods"), s.get("cloze_loglikelihoods")));
        }
        System.out.printf("max |log-likelihood difference|: lettered %.2e, cloze %.2e%n", lettered, cloze);
        assertTrue(lettered <= 1e-4, "lettered: max |difference| " + lettered);
        assertTrue(cloze <= 1e-3, "cloze: max |difference| " + cloze);
        assertEquals(0, actual.get("problems").size());
    }

    /** The largest |expected - actual| over two equally long arrays of numbers. */
    private static double maxAbsDiff(JsonNode expected, JsonNode actual) {
        assertEquals(expected.size(), actual.size(), "choice count");
        double worst = 0;
        for (int c = 0; c < expected.size(); c++) {
            worst = Math.max(worst, Math.abs(expected.get(c).asDouble() - actual.get(c).asDouble()));
        }
        return worst;
    }

    @Test
    void malformedRowIsReportedAndSkipped() throws IOException {
        Path data = tmp.resolve("tiny.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"question\": \"1 + 1 = ?\", \"choices\": [\"1\", \"2\"], \"answer\": 1}",
                "{\"question\": \"broken\", \"choices\": [\"a\", \"b\"], \"answer\": 5}",
                "{\"question\": \"2 + 2 = ?\", \"choices\": [\"4\", \"5\"], \"answer\": 0}"));
        Path out = tmp.resolve("results.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(eval("--mcq", data.toString(), "--no-cloze", "--out", out.toString()));
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains(data + ": line 2: answer 5 is out of range 0..1"), stderr);
        JsonNode actual = MAPPER.readTree(out.toFile());
        assertEquals(2, actual.get("results").get("tiny").get("n").asInt());
        assertFalse(actual.get("results").get("tiny").has("cloze_acc"));
        JsonNode problem = actual.get("problems").get(0);
        assertEquals(data.toString(), problem.get("file").asText());
        assertEquals(2, problem.get("line").asInt());
        assertEquals(1, actual.get("samples").get("tiny").get(1).get("index").asInt());
    }

    /**
     * A model compared with itself: the same truth ratios, so the KS distance is 0 and forget
     * quality is 1. Perplexity of a text: every token predicted once, so tokens equals the
     * tokenizer's count and each perplexity is exp(-LL / count).
     */
    @Test
    void tofuAgainstItselfAndPerplexity() throws IOException {
        Path forget = SharedData.data().resolve("tofu/forget01.json");
        Path first = tmp.resolve("first.json");
        assertEquals(0, Main.run(eval("--tofu", forget.toString(), "--max-new-tokens", "16",
                "--out", first.toString())));
        Path text = tmp.resolve("story.txt");
        Files.writeString(text, "Once upon a time, there was a little girl named Lily. She liked to play outside.\n");
        Path second = tmp.resolve("second.json");
        assertEquals(0, Main.run(eval("--tofu", forget.toString(), "--reference", first.toString(),
                "--max-new-tokens", "16", "--ppl", text.toString(), "--out", second.toString())));
        JsonNode set = MAPPER.readTree(second.toFile()).get("tofu").get("sets").get("forget01");
        assertEquals(MAPPER.readTree(forget.toFile()).size(), set.get("truth_ratios").size(), "one per question");
        assertEquals(1.0, set.get("forget_quality").asDouble(), 1e-12);
        double probability = set.get("probability").asDouble();
        assertTrue(probability > 0 && probability < 1, "probability " + probability);
        JsonNode ppl = MAPPER.readTree(second.toFile()).get("results").get("story");
        double ll = ppl.get("loglikelihood").asDouble();
        assertEquals(Math.exp(-ll / ppl.get("tokens").asLong()), ppl.get("token_perplexity").asDouble(), 1e-9);
        // Python: len(re.split(r"\s+", text)) = 17: 15 spaces and the final newline, plus 1
        assertEquals(17, ppl.get("words").asLong());
        assertEquals(Math.exp(-ll / 17), ppl.get("word_perplexity").asDouble(), 1e-9);
    }

    @Test
    void badInputExitsWithTwo() throws IOException {
        Path out = tmp.resolve("results.json");
        assertEquals(2, Main.run(eval("--out", out.toString())), "nothing to evaluate");
        Path reference = tmp.resolve("ref.json");
        Files.writeString(reference, "{\"results\": {}}");
        Path forget = SharedData.data().resolve("tofu/forget01.json");
        assertEquals(2, Main.run(eval("--tofu", forget.toString(), "--reference",
                reference.toString(), "--out", out.toString())), "reference without forget01 truth ratios");
        Path retain = SharedData.data().resolve("tofu/retain_perturbed.json");
        assertEquals(2, Main.run(eval("--tofu", retain.toString(), "--reference", reference.toString(),
                "--out", out.toString())), "a reference without a forget set");
        assertFalse(Files.exists(out));
    }
}
