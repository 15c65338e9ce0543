package dev.falcon.train;

import dev.falcon.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LearningRateScheduleTest {

    @Test
    void cosineWithWarmupFollowsTheClosedForm() {
        // peak 1e-3, 10 warm-up steps of 110: lr(s) = 1e-3 s / 10 for s < 10, then
        // 1e-3 (1 + cos(pi (s - 10) / 100)) / 2.
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, LearningRateSchedule.Shape.COSINE);
        assertEquals(0.0, s.at(0), 1e-15);
        assertEquals(5e-4, s.at(5), 1e-15);
        assertEquals(1e-3, s.at(10), 1e-15);
        assertEquals(1e-3 * (1 + Math.sqrt(0.5)) / 2, s.at(35), 1e-15); // a quarter of the decay
        assertEquals(5e-4, s.at(60), 1e-15);                             // half way: cos(pi/2) = 0
        assertEquals(1e-3 * (1 - Math.cos(Math.PI * 0.01)) / 2, s.at(109), 1e-18);
    }

    @Test
    void constantHoldsThePeakAfterWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(2e-4, 4, 50, LearningRateSchedule.Shape.CONSTANT);
        assertEquals(1e-4, s.at(2), 1e-18);
        assertEquals(2e-4, s.at(4), 1e-18);
        assertEquals(2e-4, s.at(49), 1e-18);
        assertEquals(2e-4, new LearningRateSchedule(2e-4, 0, 50, LearningRateSchedule.Shape.COSINE).at(0), 1e-18);
    }

    @Test
    void warmupFractionRoundsUpAsTransformers() {
        // ceil(0.1 * 105) = 11 warm-up steps: step 11 is the first at the peak.
        LearningRateSchedule s = LearningRateSchedule.withWarmupFraction(1.0, 0.1, 105,
                LearningRateSchedule.Shape.CONSTANT);
        assertEquals(11, s.warmup());
        assertEquals(10.0 / 11, s.at(10), 1e-15);
        assertEquals(1.0, s.at(11), 0);
    }

    @Test
    void unknownShapesAreRefusedByName() {
        assertEquals(LearningRateSchedule.Shape.COSINE, LearningRateSchedule.Shape.parse("Cosine"));
        InputException e = assertThrows(InputException.class, () -> LearningRateSchedule.Shape.parse("linear"));
        assertEquals("unknown learning-rate schedule 'linear'; expected cosine or constant", e.getMessage());
    }
}
