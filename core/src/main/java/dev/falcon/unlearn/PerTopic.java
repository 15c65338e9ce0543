package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.List;

/** The one rule for settings given per topic: a single value applies to every topic, otherwise value i to topic i. */
final class PerTopic {

    private PerTopic() {
    }

    /** Refuses an empty list, or one with several values but fewer than the topics, naming the setting. */
    static void check(List<Double> values, int topics, String setting) {
        if (values.isEmpty() || (values.size() > 1 && values.size() < topics)) {
            throw new InputException(setting + " has " + values.size() + " values for " + topics
                    + " forget topics: give one value for all, or one per topic");
        }
    }

    static double value(List<Double> values, int topic) {
        return values.get(values.size() == 1 ? 0 : topic);
    }
}
