package dev.falcon.train;

import dev.falcon.InputException;

import java.util.List;

/**
 * Which data each step of a multi-topic run trains on, as the official FALCON code interleaves
 * topics: step k takes topic k mod n and that topic's batch k div n. Further epochs start a topic's
 * list over (batch j is entry j mod its length), and so does any list shorter than the run.
 *
 * @param batches batches per epoch of each topic's forget list
 * @param steps   steps of the whole run
 */
public record StepSchedule(List<Integer> batches, int steps) {

    public StepSchedule {
        batches = List.copyOf(batches);
    }

    /**
     * FALCON's count, as the official code's: min(maxBatches, epochs * the shortest forget or retain
     * list).
     */
    public static StepSchedule boundedByRetain(int maxBatches, int epochs, List<? extends List<?>> forget,
                                               List<? extends List<?>> retain) {
        return of(maxBatches, epochs, forget, Math.min(shortest(forget, "forget"), shortest(retain, "retain")));
    }

    /**
     * The baselines' count: min(maxBatches, epochs * the shortest forget list); a shorter retain list
     * starts over.
     *
     * @param retain each topic's retain batches, or null when the method reads none
     */
    public static StepSchedule retainRepeats(int maxBatches, int epochs, List<? extends List<?>> forget,
                                             List<? extends List<?>> retain) {
        if (retain != null) {
            shortest(retain, "retain");
        }
        return of(maxBatches, epochs, forget, shortest(forget, "forget"));
    }

    private static StepSchedule of(int maxBatches, int epochs, List<? extends List<?>> forget, int shortest) {
        int steps = (int) Math.min(maxBatches, (long) epochs * shortest);
        return new StepSchedule(forget.stream().map(List::size).toList(), steps);
    }

    public int topics() {
        return batches.size();
    }

    /** k mod n. */
    public int topic(int step) {
        return step % topics();
    }

    /** k div n: how many steps its topic had before this one. */
    public int round(int step) {
        return step / topics();
    }

    /** The pass over its topic's forget list that step k is in, from 0. */
    public int epoch(int step) {
        return round(step) / batches.get(topic(step));
    }

    /** Step k's entry of its topic's list. */
    public <T> T pick(List<? extends List<T>> perTopic, int step) {
        List<T> list = perTopic.get(topic(step));
        return list.get(round(step) % list.size());
    }

    /** Whether some step picks an entry of {@code perTopic} that an earlier step picked (by {@link #pick}). */
    public boolean repeats(List<? extends List<?>> perTopic) {
        for (int t = 0; t < topics(); t++) {
            // topic t's steps are t, t + n, ...: ceil((steps - t) / n) of them
            int rounds = Math.max(0, (steps - t + topics() - 1) / topics());
            if (rounds > perTopic.get(t).size()) {
                return true;
            }
        }
        return false;
    }

    private static int shortest(List<? extends List<?>> topics, String what) {
        if (topics.isEmpty()) {
            throw new InputException("no " + what + " topic given");
        }
        int shortest = Integer.MAX_VALUE;
        for (int t = 0; t < topics.size(); t++) {
            if (topics.get(t).isEmpty()) {
                throw new InputException("the " + what + " set of topic " + t + " has no documents");
            }
            shortest = Math.min(shortest, topics.get(t).size());
        }
        return shortest;
    }
}
