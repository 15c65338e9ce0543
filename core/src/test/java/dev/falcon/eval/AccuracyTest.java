package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wilson score intervals at 95% against the closed form (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) /
 * (1 + z^2/n) with z = 1.959964, evaluated by hand for these counts.
 */
class AccuracyTest {

    @Test
    void wilsonIntervalMatchesTheClosedForm() {
        check(new Accuracy(8, 10), 0.4901624715366418, 0.9433178485456248);
        check(new Accuracy(56, 255), 0.17316512695749312, 0.2743731435671695);
    }

    /** At 0% and 100% the interval touches the bound and still has width: no zero-width claims. */
    @Test
    void extremesKeepTheirWidth() {
        check(new Accuracy(0, 10), 0.0, 0.2775327998628892);
        check(new Accuracy(10, 10), 0.7224672001371107, 1.0);
    }

    @Test
    void pooledCountsEveryQuestion() {
        Accuracy pooled = Accuracy.pooled(List.of(new Accuracy(3, 10), new Accuracy(7, 30)));
        assertEquals(new Accuracy(10, 40), pooled);
        assertEquals(0.25, pooled.value(), 0.0);
    }

    @Test
    void fractionsRoundToTheNearestCount() {
        assertEquals(new Accuracy(7, 60), Accuracy.of(7.0 / 60, 60));
        assertEquals("80.0% [49.0, 94.3]", new Accuracy(8, 10).percent());
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(11, 10));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(-1, 10));
    }

    private static void check(Accuracy a, double low, double high) {
        assertEquals(low, a.low(), 1e-9, "low of " + a);
        assertEquals(high, a.high(), 1e-9, "high of " + a);
    }
}
