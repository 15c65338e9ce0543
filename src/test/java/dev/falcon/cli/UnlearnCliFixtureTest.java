package dev.falcon.cli;

import dev.falcon.SharedData;
import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `falcon unlearn` end to end on stories260K (converted to HF), TOFU forget01 and WikiText lines. */
class UnlearnCliFixtureTest {

    @TempDir
    static Path tmp;

    static Path hf;
    static Path forget;
    static Path retain;

    @BeforeAll
    static void prepare() throws IOException {
        Path data = SharedData.data();
        hf = tmp.resolve("stories-hf");
        assertEquals(0, Main.run("convert", "--model", data.resolve("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", data.resolve("models/stories260K/tok512.bin").toString(), "--out", hf.toString()));
        forget = data.resolve("tofu/forget01.json");
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(data.resolve("wikitext-2/wiki.test.raw"))) {
            if (l.length() > 80 && lines.size() < 40) {
                lines.add(l);
            }
        }
        retain = tmp.resolve("retain.txt");
        Files.write(retain, lines);
    }

    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("unlearn", "--model", hf.toString(), "--forget", forget.toString(),
                "--retain", retain.toString(), "--out", out.toString(), "--layer", "3", "--max-batches", "3",
                "--lr", "1e-3"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void editsOnlyTheDownProjectionsAndKeepsEverythingElseByteIdentical() throws IOException {
        Path out = tmp.resolve("unlearned");
        assertEquals(0, Main.run(args(out).toArray(String[]::new)));
        assertTrue(Files.isRegularFile(out.resolve("falcon-run.json")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        try (SafetensorsFile before = SafetensorsFile.open(hf.resolve("model.safetensors"));
             SafetensorsFile after = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (var info : before.tensors()) {
                boolean edited = info.name().matches("model\\.layers\\.[123]\\.mlp\\.down_proj\\.weight");
                if (edited) {
                    assertNotEquals(before.bytes(info.name()), after.bytes(info.name()), info.name());
                } else {
                    assertEquals(before.bytes(info.name()), after.bytes(info.name()), info.name());
                }
            }
        }
        assertEquals(0, Main.run("generate", "--model", out.toString(), "--max-tokens", "20", "--temperature", "0"));
    }

    @Test
    void everyBaselineRunsThroughTheSameCommand() throws IOException {
        for (String method : List.of("rmu", "ga", "graddiff", "npo", "simnpo")) {
            Path out = tmp.resolve("unlearned-" + method);
            assertEquals(0, Main.run(args(out, "--method", method, "--max-batches", "2", "--optimizer", "adamw")
                    .toArray(String[]::new)), method);
            String record = Files.readString(out.resolve("falcon-run.json"));
            assertTrue(record.contains("\"method\" : \"" + method + "\""), method + " recorded");
            assertTrue(record.contains("\"npoBeta\""), method + " records the baseline settings");
            assertFalse(record.contains("\"conflictWeights\""), method + " records no FALCON settings");
            try (SafetensorsFile before = SafetensorsFile.open(hf.resolve("model.safetensors"));
                 SafetensorsFile after = SafetensorsFile.open(out.resolve("model.safetensors"))) {
                String name = "model.layers.3.mlp.down_proj.weight";
                assertNotEquals(before.bytes(name), after.bytes(name), method + " edits " + name);
                assertEquals(before.bytes("model.layers.4.mlp.down_proj.weight"),
                        after.bytes("model.layers.4.mlp.down_proj.weight"), method + " leaves layer 4 alone");
            }
        }
        assertEquals(2, Main.run(args(tmp.resolve("x"), "--method", "magic").toArray(String[]::new)));
    }

    @Test
    void badInputIsRefusedWithExitCode2() throws IOException {
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        Path out = tmp.resolve("never");
        assertEquals(2, Main.run("unlearn", "--model", hf.toString(), "--forget", empty.toString(),
                "--retain", retain.toString(), "--out", out.toString()), "empty forget file");
        assertEquals(2, Main.run(args(out, "--layer", "9").toArray(String[]::new)), "layer out of range");
        assertEquals(2, Main.run(args(out, "--params", "mlp.nothing").toArray(String[]::new)), "unknown parameter");
        assertEquals(2, Main.run(args(hf).toArray(String[]::new)), "output is the input");
        Files.createDirectories(tmp.resolve("exists"));
        assertEquals(2, Main.run(args(tmp.resolve("exists")).toArray(String[]::new)), "output exists");
        assertTrue(Files.notExists(out), "no half-written output");
    }
}
