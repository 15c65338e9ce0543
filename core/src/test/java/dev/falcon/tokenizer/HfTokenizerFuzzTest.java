package dev.falcon.tokenizer;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.falcon.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes as tokenizer.json, which reaches the native tokenizers library: loading may only fail with an
 * InputException naming the file (never a crash of the JVM), and an accepted tokenizer encodes any text to ids
 * inside its vocabulary and decodes them. Seeds are the test tokenizers (byte-level BPE, Metaspace with byte
 * fallback) and the fuzzer's findings; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='HfTokenizerFuzzTest#loadArbitraryTokenizerJson'}.
 */
class HfTokenizerFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\"model\"", "\"vocab\"", "\"merges\"", "\"type\"", "\"BPE\"", "\"Unigram\"",
            "\"WordPiece\"", "\"added_tokens\"", "\"content\"", "\"id\"", "\"special\"", "\"pre_tokenizer\"",
            "\"ByteLevel\"", "\"Metaspace\"", "\"decoder\"", "\"normalizer\"", "\"byte_fallback\"",
            "\"unk_token\"", "\"post_processor\"", "\"TemplateProcessing\""})
    void loadArbitraryTokenizerJson(byte[] content) throws IOException {
        Path dir = Files.createTempDirectory("fuzz");
        Path file = dir.resolve("tokenizer.json");
        try {
            Files.write(file, content);
            try (HfTokenizer tokenizer = HfTokenizer.load(file)) {
                int[] ids = tokenizer.encode("Once upon a time, \u00e9t\u00e9 \uD83D\uDE00 ab\n", false, false);
                for (int id : ids) {
                    assertTrue(id >= 0 && id < tokenizer.vocabSize(), "id " + id + " of " + tokenizer.vocabSize());
                }
                tokenizer.decode(ids);
            }
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        } finally {
            Files.delete(file);
            Files.delete(dir);
        }
    }
}
