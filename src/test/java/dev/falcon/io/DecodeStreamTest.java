package dev.falcon.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.falcon.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DecodeStreamTest {

    @Test
    void streamedTextEqualsWholeDecodeOnFixtures() throws IOException {
        Llama2cTokenizer tok = Llama2cTokenizer.load(TokenizerFixtureTest.tok512(), 512);
        for (TokenizerFixtureTest.Case c : TokenizerFixtureTest.readCases(
                SharedData.fixtures().resolve("tokenizer/encode.json"))) {
            if (c.ids().length > 1) {
                assertEquals(c.text(), HfTokenizerTest.stream(tok, c.ids()), c.text());
            }
        }
    }

    @Test
    void pairwiseDecodingCannotRebuildSplitCharacters() {
        // Ids from encode.json for "naïve café ünïcödé ✓ 日本": ï is <0xC3> <0xAF> (198, 178), so
        // each byte alone is malformed UTF-8; only the buffering stream rebuilds it.
        int[] ids = {1, 297, 412, 198, 178, 360};
        Llama2cTokenizer tok = Llama2cTokenizer.load(TokenizerFixtureTest.tok512(), 512);
        assertEquals(tok.decode(ids), HfTokenizerTest.stream(tok, ids));
        assertNotEquals(tok.decode(ids), HfTokenizerTest.streamPairwise(tok, ids));
    }

    @Test
    void addedTextIsTheSuffixOrTheRewrittenTail() {
        assertEquals(" world", DecodeStream.added("Hello", "Hello world"));
        // A decoder may rewrite the end (U+FFFD becoming a character): print from the difference on.
        assertEquals("é", DecodeStream.added("ab\uFFFD", "abé"));
        // Never start in the middle of a surrogate pair (😀 U+1F600 vs 😁 U+1F601 share the high half).
        assertEquals("\uD83D\uDE01", DecodeStream.added("\uD83D\uDE00", "\uD83D\uDE01"));
    }
}
