package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code falcon eval --mia} on stories260K: its own greedy text as forget set, the same words shuffled as held-out. */
class MiaCliFixtureTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path modelDir() {
        return SharedData.data().resolve("models/stories260K");
    }

    private static String[] eval(String... options) {
        List<String> all = new ArrayList<>(List.of("eval", "--model", modelDir().resolve("stories260K.bin").toString(),
                "--tokenizer", modelDir().resolve("tok512.bin").toString()));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    /**
     * The greedy text's non-empty lines; and each line's words in a seeded random order, plus the first two
     * lines unshuffled, so that no score separates the sets perfectly (PrivLeak is undefined against a
     * reference AUC of 1).
     */
    private List<Path> forgetAndHoldout() throws IOException {
        List<String> lines = Files.readAllLines(modelDir().resolve("greedy200.txt")).stream()
                .filter(l -> !l.isBlank()).toList();
        List<String> shuffled = new ArrayList<>();
        Random random = new Random(1);
        for (String line : lines) {
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            Collections.shuffle(words, random);
            shuffled.add(String.join(" ", words));
        }
        shuffled.addAll(lines.subList(0, 2));
        Path forget = Files.write(tmp.resolve("forget.txt"), lines);
        Path holdout = Files.write(tmp.resolve("holdout.txt"), shuffled);
        return List.of(forget, holdout);
    }

    /**
     * Every AUC equals the pairs counted from the per-text scores in results.json (ties 1/2); the greedy
     * text is likelier than its shuffle, so loss AUC is above 1/2; with the model itself as reference
     * PrivLeak is 0, and a second run given the first's results.json as reference agrees.
     */
    @Test
    void scoresAucsAndPrivLeak() throws IOException {
        List<Path> sets = forgetAndHoldout();
        String mia = sets.get(0) + "," + sets.get(1);
        Path out = tmp.resolve("results.json");
        long start = System.nanoTime();
        assertEquals(0, Main.run(eval("--mia", mia, "--reference", modelDir().resolve("stories260K.bin").toString(),
                "--out", out.toString())));
        System.out.printf("eval --mia with a reference model: %.1f s%n", (System.nanoTime() - start) / 1e9);
        JsonNode m = MAPPER.readTree(out.toFile()).get("mia");
        int n = Files.readAllLines(sets.get(0)).size();
        assertEquals(n, m.get("n_forget").asInt());
        assertEquals(n + 2, m.get("n_holdout").asInt());
        assertEquals("forget", m.get("forget").asText());
        for (String score : List.of("loss", "zlib", "min_k", "min_k++")) {
            double auc = pairAuc(m.get("scores").get("forget").get(score), m.get("scores").get("holdout").get(score));
            assertEquals(auc, m.get("auc").get(score).asDouble(), 1e-12, score);
            assertEquals(auc, m.get("reference_auc").get(score).asDouble(), 1e-12, score);
        }
        System.out.println("AUCs: " + m.get("auc"));
        assertTrue(m.get("auc").get("loss").asDouble() > 0.5);
        assertTrue(m.get("auc").get("min_k").asDouble() < 1);
        assertTrue(m.get("privleak").isNumber());
        assertEquals(0.0, m.get("privleak").asDouble(), 1e-12);

        Path again = tmp.resolve("again.json");
        assertEquals(0, Main.run(eval("--mia", mia, "--reference", out.toString(), "--out", again.toString())));
        JsonNode m2 = MAPPER.readTree(again.toFile()).get("mia");
        assertEquals(m.get("auc"), m2.get("reference_auc"));
        assertTrue(m2.get("privleak").isNumber());
        assertEquals(0.0, m2.get("privleak").asDouble(), 1e-12);
    }

    @Test
    void badMiaInputIsRefused() throws IOException {
        List<Path> sets = forgetAndHoldout();
        Path out = tmp.resolve("results.json");
        assertEquals(2, Main.run(eval("--mia", sets.get(0).toString(), "--out", out.toString())));
        assertEquals(2, Main.run(eval("--mia", sets.get(0) + "," + sets.get(1), "--reference",
                tmp.resolve("missing").toString(), "--out", out.toString())));
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        assertEquals(2, Main.run(eval("--mia", sets.get(0) + "," + empty, "--out", out.toString())));
        assertTrue(Files.notExists(out), "no results after bad input");
    }

    /** The fraction of (forget, held-out) pairs where the forget score is lower, a tie counting 1/2. */
    private static double pairAuc(JsonNode forget, JsonNode holdout) {
        double pairs = 0;
        for (JsonNode f : forget) {
            for (JsonNode h : holdout) {
                double x = f.asDouble();
                double y = h.asDouble();
                pairs += x < y ? 1 : x == y ? 0.5 : 0;
            }
        }
        return pairs / (forget.size() * holdout.size());
    }
}
