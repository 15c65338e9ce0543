package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {

    @Test
    void identicalTextsRecallEverything() {
        assertEquals(1.0, RougeL.recall("Basil Mahfouz Al-Kuwaiti", "Basil Mahfouz Al-Kuwaiti"));
    }

    @Test
    void recallIsLcsOverReferenceLength() {
        // ref [the, cat, is, on, the, mat], pred [the, cat, sat, on, the, mat]:
        // LCS = the cat on the mat (5 tokens), recall = 5/6
        assertEquals(5.0 / 6, RougeL.recall("The cat sat on the mat.", "the cat is on the mat"), 1e-15);
    }

    @Test
    void orderMatters() {
        // ref [a1, b2], pred [b2, a1]: a subsequence keeps order, so the LCS is one token
        assertEquals(0.5, RougeL.recall("b2 a1", "a1 b2"));
    }

    @Test
    void stemmingMatchesInflectionsOnlyWhenPorterConflatesThem() {
        // ref: he was running quick -> [he, was, run, quick]; pred: He runs quickly -> [he, run, quickli]
        // "running" and "runs" both stem to "run", but "quickly" -> "quickli" != "quick": LCS [he, run] = 2/4
        assertEquals(0.5, RougeL.recall("He runs quickly", "he was running quick"));
        // three-letter tokens are not stemmed: "ran" never matches "run"
        assertEquals(0.0, RougeL.recall("ran", "run"));
    }

    @Test
    void tokenizerDropsPunctuationAndKeepsDigits() {
        assertEquals(List.of("born", "in", "1956", "in", "kuwait", "citi"),
                RougeL.tokens("Born in 1956, in Kuwait-City!"));
        assertEquals(List.of("caf"), RougeL.tokens("Café")); // é is not [a-z0-9]: "caf" + " "
    }

    @Test
    void emptySideScoresZero() {
        assertEquals(0.0, RougeL.recall("", "some reference"));
        assertEquals(0.0, RougeL.recall("some prediction", "?!"));
    }
}
