package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DecodeStreamTest {

    @Test
    void pairwiseDecodingCannotRebuildSplitCharacters() {
        // run.c's tok512 ids for the start of "naïve café ünïcödé ✓ 日本": ï is <0xC3> <0xAF> (198, 178), so
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
