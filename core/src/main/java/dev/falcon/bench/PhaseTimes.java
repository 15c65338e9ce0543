package dev.falcon.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall-clock seconds of each named phase of a run, in the order the phases ran. */
public final class PhaseTimes {

    private final Map<String, Double> seconds = new LinkedHashMap<>();

    /** Runs {@code work}, records its wall time under {@code phase} (a repeated name adds up) and returns its value. */
    public <T> T time(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            seconds.merge(phase, (System.nanoTime() - start) / 1e9, Double::sum);
        }
    }

    public double seconds(String phase) {
        Double s = seconds.get(phase);
        if (s == null) {
            throw new IllegalArgumentException("no phase named '" + phase + "'");
        }
        return s;
    }

    public Map<String, Double> all() {
        return Collections.unmodifiableMap(seconds);
    }

    public double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
