package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Which batch each baseline step uses: step k takes topic k mod n and that topic's k div n-th
 * entry of the arranged list, where entry j of topic t is its batch j mod (batches of t): lists
 * are cycled for further epochs, and a retain set shorter than its forget topic starts over.
 */
final class StepPlan {

    private StepPlan() {
    }

    /** min(maxBatches, epochs * shortest forget list). */
    static int steps(int maxBatches, int epochs, List<? extends List<?>> forget) {
        if (forget.isEmpty()) {
            throw new InputException("no forget topic given");
        }
        int shortest = Integer.MAX_VALUE;
        for (int t = 0; t < forget.size(); t++) {
            shortest = Math.min(shortest, nonEmpty(forget.get(t), "forget", t).size());
        }
        return (int) Math.min(maxBatches, (long) epochs * shortest);
    }

    /** Per topic, the batches its steps use, in step order (see the class comment). */
    static <T> List<List<T>> arrange(List<List<T>> topics, int steps, String what) {
        int n = topics.size();
        List<List<T>> arranged = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            List<T> source = nonEmpty(topics.get(t), what, t);
            List<T> uses = new ArrayList<>();
            for (int j = 0; j * n + t < steps; j++) {
                uses.add(source.get(j % source.size()));
            }
            arranged.add(uses);
        }
        return arranged;
    }

    private static <T> List<T> nonEmpty(List<T> list, String what, int topic) {
        if (list.isEmpty()) {
            throw new InputException("the " + what + " set of topic " + topic + " has no documents");
        }
        return list;
    }
}
