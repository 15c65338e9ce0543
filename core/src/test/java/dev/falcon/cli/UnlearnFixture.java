package dev.falcon.cli;

import dev.falcon.SharedData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inputs for falcon unlearn from the shared data: stories260K converted to a Hugging Face folder, TOFU
 * forget01 as the forget set, and the first 40 long WikiText-2 test lines as the retain set.
 */
public record UnlearnFixture(Path hf, Path forget, Path retain) {

    /** Converts the model and writes the retain lines into {@code dir}. */
    public static UnlearnFixture prepare(Path dir) throws IOException {
        Path data = SharedData.data();
        Path hf = dir.resolve("stories-hf");
        assertEquals(0, Main.run("convert", "--model", data.resolve("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", data.resolve("models/stories260K/tok512.bin").toString(), "--out", hf.toString()));
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(data.resolve("wikitext-2/wiki.test.raw"))) {
            if (l.length() > 80 && lines.size() < 40) {
                lines.add(l);
            }
        }
        Path retain = dir.resolve("retain.txt");
        Files.write(retain, lines);
        return new UnlearnFixture(hf, data.resolve("tofu/forget01.json"), retain);
    }

    /** Main.run's exit code and what it printed to stderr. */
    public static Map.Entry<Integer, String> runCapturingErr(List<String> args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Map.entry(Main.run(args.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
