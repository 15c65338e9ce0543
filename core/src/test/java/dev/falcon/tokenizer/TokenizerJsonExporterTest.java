package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import dev.falcon.tokenizer.Llama2cTokenizerTest.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerJsonExporterTest {

    @TempDir
    Path dir;

    private Llama2cTokenizer vocab(Entry... extra) throws IOException {
        List<Entry> entries = Llama2cTokenizerTest.baseVocab();
        entries.addAll(List.of(extra));
        return Llama2cTokenizer.load(Llama2cTokenizerTest.writeBin(dir.resolve("v.bin"), 6, entries));
    }

    @Test
    void ranksMergesByScoreAndKeepsSpaces() throws IOException {
        // ids 259..: " " a b ab " a" " ab"; " ab" splits as " "+ab and " a"+b.
        Llama2cTokenizer tok = vocab(new Entry(-10, " "), new Entry(-10, "a"), new Entry(-10, "b"),
                new Entry(5, "ab"), new Entry(1, " a"), new Entry(0, " ab"));
        JsonNode json = TokenizerJsonExporter.tokenizerJson(tok);
        // By descending score: ab (5), then " ab" (0) in split order, then " a" (1)? No: 5 > 1 > 0.
        assertEquals("[[\"a\",\"b\"],[\" \",\"a\"],[\" \",\"ab\"],[\" a\",\"b\"]]", json.at("/model/merges").toString());
        assertEquals(1, json.at("/model/vocab/<s>").asInt());
        assertEquals(262, json.at("/model/vocab/ab").asInt());
        assertEquals(" ", json.at("/normalizer/prepend").asText());

        TokenizerJsonExporter.export(tok, dir.resolve("out"));
        try (HfTokenizer hf = HfTokenizer.load(dir.resolve("out"))) {
            // " ab": [" ", a, b] -> ab (5) -> [" ", ab] -> " ab" (0) -> [" ab"]; both must agree.
            assertArrayEquals(new int[] {1, 264}, tok.encode("ab", true, false));
            assertArrayEquals(tok.encode("ab", true, false), hf.encode("ab", true, false));
        }
    }

    private void assertRefused(Llama2cTokenizer tok, String problem) {
        InputException e = assertThrows(InputException.class, () -> TokenizerJsonExporter.tokenizerJson(tok));
        assertTrue(e.getMessage().startsWith(dir.resolve("v.bin") + ": cannot be expressed"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void refusesEqualScores() throws IOException {
        // ab and ba tie: in "aba" run.c merges the leftmost, BPE whichever ranks first.
        assertRefused(vocab(new Entry(-10, "a"), new Entry(-10, "b"), new Entry(5, "ab"), new Entry(5, "ba")),
                "tokens 261 and 262 have equal scores");
    }

    @Test
    void refusesOverlappingSplits() throws IOException {
        // aba = ab + a = a + ba: in [ab, a, ba] both pairs make aba; run.c takes the left one.
        assertRefused(vocab(new Entry(-10, "a"), new Entry(-10, "b"), new Entry(5, "ab"), new Entry(4, "ba"),
                new Entry(1, "aba")), "token 263 has splits");
    }

    @Test
    void refusesSplitsReachedByHigherMerges() throws IOException {
        // abc = a + bc = ab + c, and abca (scored above abc) contains abc and merges with a, the left
        // part of a split: merging one pending abc first can consume the other pair's token.
        assertRefused(vocab(new Entry(-10, "a"), new Entry(-10, "b"), new Entry(-10, "c"), new Entry(4, "ab"),
                new Entry(3, "bc"), new Entry(1, "abc"), new Entry(2, "abca")), "token 264 has splits");
    }

    @Test
    void refusesPiecesThatCollideWithSpecialNames() throws IOException {
        assertRefused(vocab(new Entry(-10, "<s>")), "token 259 repeats piece '<s>'");
    }
}
