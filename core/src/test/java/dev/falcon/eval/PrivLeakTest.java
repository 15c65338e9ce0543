package dev.falcon.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivLeakTest {

    @Test
    void leakingAsMuchAsTheRetrainedModelIsZero() {
        assertEquals(0.0, PrivLeak.of(0.62, 0.62), 1e-12);
    }

    /**
     * A retrained model at chance (MUSE AUC 0.5) and an unlearned one that still recognises its forget
     * texts (AUC 0.9 with them as members, MUSE AUC 0.1): (0.1 - 0.5) / 0.5 = -80%, under-unlearning.
     * Forget texts less likely than unseen ones (AUC 0.2, MUSE 0.8) is over-unlearning: +60%.
     */
    @Test
    void followsMusesSignConvention() {
        assertEquals(-80.0, PrivLeak.of(0.9, 0.5), 1e-9);
        assertEquals(60.0, PrivLeak.of(0.2, 0.5), 1e-9);
        // MUSE's own numbers: AUC_retrain (MUSE) 0.4, AUC_unlearn (MUSE) 0.3 -> -25%
        assertEquals(-25.0, PrivLeak.of(0.7, 0.6), 1e-9);
    }

    @Test
    void undefinedWhenTheReferenceRanksEveryForgetTextFirst() {
        assertTrue(Double.isNaN(PrivLeak.of(0.9, 1.0)));
        assertEquals(MembershipScore.MIN_K, PrivLeak.SCORE);
    }
}
