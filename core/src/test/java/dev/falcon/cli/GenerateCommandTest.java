package dev.falcon.cli;

import dev.falcon.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code falcon generate --temperature 0} on stories260K against the text llama2.c's {@code run} prints with
 * {@code -t 0.0 -n 200} (data/models/stories260K/greedy200.txt, from llama2.c's test suite).
 */
class GenerateCommandTest {

    @TempDir
    Path tmp;

    private Path dir;
    private String expected;

    @BeforeEach
    void readReference() throws IOException {
        dir = SharedData.data().resolve("models/stories260K");
        expected = withoutFinalNewline(Files.readString(dir.resolve("greedy200.txt")), "\n");
    }

    @Test
    void greedyTextIsWhatLlama2cPrints() {
        assertEquals(expected, generate("--model", dir.resolve("stories260K.bin").toString(), "--tokenizer",
                dir.resolve("tok512.bin").toString()));
    }

    @Test
    void theConvertedFolderPrintsTheSameText() {
        Path hf = tmp.resolve("hf");
        assertEquals(0, Main.run("convert", "--model", dir.resolve("stories260K.bin").toString(), "--tokenizer",
                dir.resolve("tok512.bin").toString(), "--out", hf.toString()));
        assertEquals(expected, generate("--model", hf.toString()));
    }

    @Test
    void promptedWithItsFirstSentenceTheTextIsUnchanged() {
        // Greedy decoding is deterministic: a prompt that encodes to the tokens the model chose itself (the first
        // sentence does) must be continued as before, and is printed as the start of the same text.
        String prompt = expected.substring(0, expected.indexOf('.') + 1);
        assertEquals(expected, generate("--model", dir.resolve("stories260K.bin").toString(), "--tokenizer",
                dir.resolve("tok512.bin").toString(), "--prompt", prompt));
    }

    /** What {@code falcon generate} prints at temperature 0 for 200 tokens, less its final line break. */
    private static String generate(String... model) {
        String[] args = new String[model.length + 5];
        System.arraycopy(new String[] {"generate", "--temperature", "0", "--max-tokens", "200"}, 0, args, 0, 5);
        System.arraycopy(model, 0, args, 5, model.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(saved);
        }
        return withoutFinalNewline(out.toString(StandardCharsets.UTF_8), System.lineSeparator());
    }

    /** run.c ends its output with a line break, which the stored text may lack. */
    private static String withoutFinalNewline(String text, String newline) {
        return text.endsWith(newline) ? text.substring(0, text.length() - newline.length()) : text;
    }
}
