package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {

    @TempDir
    Path dir;

    @Test
    void picksTheFormatFromThePath() {
        try (Tokenizer folder = Tokenizers.load(HfTokenizerTest.resource("bytelevel"));
                Tokenizer json = Tokenizers.load(HfTokenizerTest.resource("metaspace/tokenizer.json"));
                Tokenizer bin = Tokenizers.load(TokenizerFixtureTest.tok512())) {
            assertInstanceOf(HfTokenizer.class, folder);
            assertEquals(20, folder.vocabSize());
            assertInstanceOf(HfTokenizer.class, json);
            assertEquals(22, json.vocabSize());
            assertInstanceOf(Llama2cTokenizer.class, bin);
            assertEquals(512, bin.vocabSize(), "inferred from the file length");
        }
    }

    private void assertBad(Path path, String problem) {
        InputException e = assertThrows(InputException.class, () -> Tokenizers.load(path));
        assertTrue(e.getMessage().startsWith(path + ": " + problem), e.getMessage());
    }

    @Test
    void explainsWhatItCannotOpen() throws IOException {
        assertBad(dir, "folder holds no tokenizer.json");
        assertBad(dir.resolve("missing.bin"), "no such file or folder");
        Path text = Files.writeString(dir.resolve("vocab.txt"), "a b");
        assertBad(text, "unknown tokenizer format");
        Path emptyBin = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertBad(emptyBin, "truncated");
    }
}
