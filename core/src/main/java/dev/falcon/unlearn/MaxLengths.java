package dev.falcon.unlearn;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.falcon.InputException;

import java.util.List;

/**
 * Truncation lengths in tokens, BOS included: the official code cuts the first topic at 512 tokens
 * and every other topic at 768.
 */
public record MaxLengths(int first, int others) {

    public static final MaxLengths OFFICIAL = new MaxLengths(512, 768);

    public MaxLengths {
        if (first < 2 || others < 2) {
            throw new InputException("max lengths must be at least 2 tokens (BOS and one target), got "
                    + List.of(first, others));
        }
    }

    /** One length for every topic. */
    public static MaxLengths all(int length) {
        return new MaxLengths(length, length);
    }

    public int of(int topic) {
        return topic == 0 ? first : others;
    }

    /** [first, others], as run records have always listed them. */
    @JsonValue
    public List<Integer> asList() {
        return List.of(first, others);
    }
}
