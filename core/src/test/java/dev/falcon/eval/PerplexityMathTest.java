package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PerplexityMathTest {

    @Test
    void perplexityOfUniformTenWayChoicesIsTen() {
        // four tokens, each with probability 1/10: LL = 4 ln(1/10)
        assertEquals(10.0, PerplexityMath.perplexity(4 * Math.log(0.1), 4), 1e-12);
        // the same LL spread over 2 words: exp(2 ln 10) = 100
        assertEquals(100.0, PerplexityMath.perplexity(4 * Math.log(0.1), 2), 1e-10);
        assertThrows(IllegalArgumentException.class, () -> PerplexityMath.perplexity(-1, 0));
    }

    @Test
    void bitsPerByte() {
        // LL = 8 ln(1/2) over 4 bytes: 8 bits / 4 bytes
        assertEquals(2.0, PerplexityMath.bitsPerByte(8 * Math.log(0.5), 4), 1e-15);
    }

    /** Expected counts are len(re.split(r"\s+", s)) printed by Python 3.11. */
    @Test
    void wordCountFollowsPythonRegexSplit() {
        assertEquals(3, PerplexityMath.wordCount("a b\n")); // ['a', 'b', '']
        assertEquals(1, PerplexityMath.wordCount(""));
        assertEquals(2, PerplexityMath.wordCount(" a"));
        assertEquals(2, PerplexityMath.wordCount("a\u00a0b")); // no-break space is \s in Python
        assertEquals(1, PerplexityMath.wordCount("a\u200bb")); // zero-width space is not
        assertEquals(3, PerplexityMath.wordCount("a\u001cb \t c"));
        assertEquals(2, PerplexityMath.wordCount("x\u3000\u3000y"));
    }

    @Test
    void wikitextTestCounts() throws IOException {
        String text = Files.readString(SharedData.data().resolve("wikitext-2/wiki.test.raw"));
        // Python on the raw text (open(..., newline="")): len(re.split(r"\s+", s)) = 241213 and
        // len(s.encode("utf-8")) = 1290547, which is also wc -c (the file has some CR LF endings).
        assertEquals(241_213, PerplexityMath.wordCount(text));
        assertEquals(1_290_547, PerplexityMath.byteCount(text));
    }
}
