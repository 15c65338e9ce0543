package dev.falcon.eval;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MembershipScoreTest {

    private static final double LN2 = Math.log(2);

    @Test
    void lossIsTheMeanNegativeLogLikelihood() {
        MembershipText t = text("abc", -1.0, -2.0, -6.0);
        assertEquals(3.0, MembershipScore.LOSS.of(t, 0.4), 1e-15);
    }

    /** Of {-1, -5, -2, -4, -3}: k = 0.4 averages the lowest 2 (-5, -4); k = 0.1 still takes one; k = 1 all. */
    @Test
    void minKAveragesTheLowestFractionOfLogProbabilities() {
        double[] lp = {-1, -5, -2, -4, -3};
        assertEquals(4.5, MembershipScore.minK(lp, 0.4), 1e-15);
        assertEquals(5.0, MembershipScore.minK(lp, 0.1), 1e-15);
        assertEquals(3.0, MembershipScore.minK(lp, 1.0), 1e-15);
        // 7 tokens at 40%: int(2.8) = 2 tokens, the two lowest
        assertEquals(6.5, MembershipScore.minK(new double[] {-7, -1, -1, -6, -1, -1, -1}, 0.4), 1e-15);
        assertEquals(4.5, MembershipScore.MIN_K.of(text("x", lp), 0.4), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> MembershipScore.minK(new double[0], 0.4));
    }

    /**
     * Next-token probabilities (1/2, 1/4, 1/4): log p = (-ln 2, -2 ln 2, -2 ln 2), mean -1.5 ln 2, variance
     * ((0.5 ln 2)^2 + (0.5 ln 2)^2) / 2, standard deviation 0.5 ln 2. The likeliest token standardises to +1,
     * the others to -1; where the variance is 0 the floor 1e-6 applies.
     */
    @Test
    void minKPlusPlusStandardisesByTheVocabularyMoments() {
        double mean = -1.5 * LN2;
        double variance = 0.25 * LN2 * LN2;
        double[] lp = {-LN2, -2 * LN2, -LN2, -LN2, -LN2};
        double[] means = {mean, mean, mean, mean, mean};
        double[] variances = {variance, variance, variance, variance, variance};
        // z = (1, -1, 1, 1, 1): the lowest 2 are -1 and 1
        assertEquals(0.0, MembershipScore.minKPlusPlus(lp, means, variances, 0.4), 1e-12);
        assertEquals(1.0, MembershipScore.minKPlusPlus(lp, means, variances, 0.2), 1e-12);
        assertEquals(-0.6, MembershipScore.minKPlusPlus(lp, means, variances, 1.0), 1e-12);
        double[] flat = {-1.0};
        assertEquals(-0.5 / 1e-3, MembershipScore.minKPlusPlus(flat, new double[] {-1.5}, new double[] {0}, 0.4), 1e-9);
        MembershipText t = new MembershipText("x", lp, means, variances);
        assertEquals(0.0, MembershipScore.MIN_K_PLUS_PLUS.of(t, 0.4), 1e-12);
    }

    /** Python's len(zlib.compress(s.encode("utf-8"))) for these strings (CPython 3, zlib 1.2/1.3, level 6). */
    @Test
    void zlibLengthIsPythonsCompressedLength() {
        assertEquals(8, MembershipScore.zlibLength(""));
        assertEquals(9, MembershipScore.zlibLength("a"));
        assertEquals(64, MembershipScore.zlibLength("Once upon a time, there was a little girl named Lily. ".repeat(3)));
        assertEquals(34, MembershipScore.zlibLength("Le café naïve — über"));
    }

    @Test
    void zlibLengthIsJavaUtilZipsOneShotDeflate() {
        String text = "The quick brown fox — naïve café — jumps over the lazy dog. 0123456789 ".repeat(7);
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(6);
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        assertEquals(out.size(), MembershipScore.zlibLength(text));
    }

    @Test
    void zlibScoreIsTheLossPerCompressedByte() {
        MembershipText t = text("a", -2.0, -4.0);
        assertEquals(3.0 / 9, MembershipScore.ZLIB.of(t, 0.4), 1e-15);
    }

    @Test
    void keysAreOpenUnlearningsAttackNames() {
        assertEquals("min_k++", MembershipScore.MIN_K_PLUS_PLUS.key());
        assertEquals(MembershipScore.ZLIB, MembershipScore.byKey("zlib"));
        assertThrows(IllegalArgumentException.class, () -> MembershipScore.byKey("ref"));
    }

    /** A text whose vocabulary moments are irrelevant to the score under test. */
    private static MembershipText text(String s, double... logProbs) {
        return new MembershipText(s, logProbs, new double[logProbs.length], new double[logProbs.length]);
    }
}
