package dev.falcon.train;

import dev.falcon.InputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepScheduleTest {

    private static final List<List<String>> FORGET = List.of(List.of("a0", "a1", "a2"),
            List.of("b0", "b1", "b2", "b3", "b4"));
    private static final List<List<String>> RETAIN = List.of(List.of("r0", "r1", "r2", "r3"), List.of("s0", "s1"));

    @Test
    void stepsAlternateTopicsAndTakeEachTopicsNextBatch() {
        StepSchedule s = StepSchedule.retainRepeats(100, 3, FORGET, RETAIN);
        assertEquals(9, s.steps(), "3 epochs of the shortest forget list (3 batches)");
        List<String> forget = new ArrayList<>();
        List<String> retain = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        for (int k = 0; k < s.steps(); k++) {
            forget.add(s.pick(FORGET, k));
            retain.add(s.pick(RETAIN, k));
            epochs.add(s.epoch(k));
        }
        // step k: topic k mod 2, entry (k div 2) mod the list's length
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2", "a0", "b3", "a1"), forget);
        assertEquals(List.of("r0", "s0", "r1", "s1", "r2", "s0", "r3", "s1", "r0"), retain);
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 1, 0, 1), epochs, "topic 0 has 3 batches a pass, topic 1 has 5");
    }

    @Test
    void aBatchRepeatsOnlyWhenItsTopicHasMoreStepsThanBatches() {
        StepSchedule once = StepSchedule.boundedByRetain(100, 1, FORGET, RETAIN);
        assertFalse(once.repeats(FORGET) || once.repeats(RETAIN), "one epoch: 2 steps, one batch per topic");
        // 2 epochs of the shortest list (2 retain batches of topic 1) give each topic 2 steps: still no repeat
        StepSchedule two = StepSchedule.boundedByRetain(100, 2, FORGET, RETAIN);
        assertFalse(two.repeats(FORGET) || two.repeats(RETAIN));
        StepSchedule three = StepSchedule.boundedByRetain(100, 3, FORGET, RETAIN);
        assertFalse(three.repeats(FORGET), "3 steps per topic, at least 3 forget batches each");
        assertTrue(three.repeats(RETAIN), "topic 1 has 2 retain batches for 3 steps");
        // 9 steps: topic 0 (3 forget batches) gets 5, topic 1 (5 batches) 4
        StepSchedule baseline = StepSchedule.retainRepeats(100, 3, FORGET, RETAIN);
        assertTrue(baseline.repeats(FORGET));
        assertFalse(baseline.repeats(List.of(List.of(1, 2, 3, 4, 5), List.of(1, 2, 3, 4))));
    }

    @Test
    void falconCountsTheRetainListsAndMaxBatchesCaps() {
        assertEquals(4, StepSchedule.boundedByRetain(100, 2, FORGET, RETAIN).steps(), "2 epochs of 2 retain batches");
        assertEquals(3, StepSchedule.boundedByRetain(3, 2, FORGET, RETAIN).steps());
        assertEquals(1, StepSchedule.retainRepeats(1, 5, FORGET, null).steps());
    }

    @Test
    void emptyListsAreInputErrorsNamingTheTopic() {
        InputException e = assertThrows(InputException.class,
                () -> StepSchedule.retainRepeats(10, 1, List.of(List.of("a"), List.of()), null));
        assertEquals("the forget set of topic 1 has no documents", e.getMessage());
        e = assertThrows(InputException.class,
                () -> StepSchedule.retainRepeats(10, 1, List.of(List.of("a")), List.of(List.of())));
        assertEquals("the retain set of topic 0 has no documents", e.getMessage());
        e = assertThrows(InputException.class, () -> StepSchedule.boundedByRetain(10, 1, List.of(), RETAIN));
        assertEquals("no forget topic given", e.getMessage());
    }
}
