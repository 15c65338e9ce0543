package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tok512.bin exported as tokenizer.json must encode like run.c through the Rust tokenizers library. */
class Llama2cTokenizerJsonFixtureTest {

    @TempDir
    static Path dir;

    private static Llama2cTokenizer llama2c;
    private static HfTokenizer exported;

    @BeforeAll
    static void export() {
        llama2c = Llama2cTokenizer.load(TokenizerFixtureTest.tok512(), 512);
        TokenizerJsonExporter.export(llama2c, dir);
        exported = HfTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        exported.close();
    }

    private static void assertSameIds(String text) {
        int[] expected = llama2c.encode(text, true, true);
        int[] ids = exported.encode(text, true, true);
        assertArrayEquals(expected, ids, text);
        assertEquals(llama2c.decode(ids), exported.decode(ids), text);
    }

    @Test
    void encodesTheFixtureTextsLikeRunC() throws IOException {
        for (TokenizerFixtureTest.Case c : TokenizerFixtureTest.readCases(
                SharedData.fixtures().resolve("tokenizer/encode.json"))) {
            assertArrayEquals(c.ids(), exported.encode(c.text(), true, false), c.text());
            assertSameIds(c.text());
        }
    }

    @Test
    void encodesTheWholeWikiTextTestFileLikeLlama2c() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.data().resolve("wikitext-2/wiki.test.raw"));
        assertFalse(lines.isEmpty(), "wiki.test.raw is empty");
        lines.forEach(Llama2cTokenizerJsonFixtureTest::assertSameIds);
    }

    @Test
    void treatsSpecialLookingTextAsText() {
        // U+2581 is no space to run.c (byte fallback), and "<s>" in text is not BOS.
        for (String text : new String[] {"a\u2581b \u2581", "<s> and </s> <unk>", "  two  spaces ", "\n", " "}) {
            assertSameIds(text);
        }
    }

    @Test
    void exportsSpecialsAndConfig() {
        assertEquals(1, exported.bosId());
        assertEquals(2, exported.eosId());
        assertTrue(exported.addBosByDefault());
        assertEquals(512, exported.vocabSize());
    }
}
