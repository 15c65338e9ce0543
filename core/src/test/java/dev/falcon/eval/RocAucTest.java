package dev.falcon.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RocAucTest {

    /** Loss-like scores: forget texts all below the held-out ones are perfectly recognised as members. */
    @Test
    void separableSetsGiveOneOrZero() {
        assertEquals(1.0, RocAuc.forgetAsMembers(new double[] {0.1, 0.2, 0.3}, new double[] {0.5, 0.9}));
        assertEquals(0.0, RocAuc.forgetAsMembers(new double[] {0.5, 0.9}, new double[] {0.1, 0.2, 0.3}));
    }

    @Test
    void identicalSetsGiveOneHalf() {
        double[] s = {3, 1, 4, 1, 5, 9, 2, 6};
        assertEquals(0.5, RocAuc.forgetAsMembers(s, s.clone()), 1e-15);
        assertEquals(0.5, RocAuc.forgetAsMembers(new double[] {2, 2}, new double[] {2, 2, 2}), 1e-15);
    }

    /**
     * Forget {1, 2, 3}, held-out {2, 3, 4}, counting pairs where the forget score is lower: 1 is below
     * all three (3); 2 ties 2 and is below 3, 4 (2.5); 3 ties 3 and is below 4 (1.5): 7 of 9 pairs.
     */
    @Test
    void tiesCountOneHalf() {
        assertEquals(7.0 / 9, RocAuc.forgetAsMembers(new double[] {1, 2, 3}, new double[] {2, 3, 4}), 1e-15);
        assertEquals(2.0 / 9, RocAuc.forgetAsMembers(new double[] {2, 3, 4}, new double[] {1, 2, 3}), 1e-15);
    }

    /** The rank formula equals counting every pair, on sets with many ties. */
    @Test
    void equalsPairCountingOnTiedScores() {
        Random random = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            double[] f = new double[1 + random.nextInt(30)];
            double[] h = new double[1 + random.nextInt(30)];
            for (int i = 0; i < f.length; i++) {
                f[i] = random.nextInt(6) * 0.5;
            }
            for (int i = 0; i < h.length; i++) {
                h[i] = random.nextInt(6) * 0.5;
            }
            double pairs = 0;
            for (double x : f) {
                for (double y : h) {
                    pairs += x < y ? 1 : x == y ? 0.5 : 0;
                }
            }
            assertEquals(pairs / (f.length * h.length), RocAuc.forgetAsMembers(f, h), 1e-12, "trial " + trial);
        }
    }

    @Test
    void emptySetsAndNaNAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RocAuc.forgetAsMembers(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.forgetAsMembers(new double[] {Double.NaN}, new double[] {1}));
    }
}
