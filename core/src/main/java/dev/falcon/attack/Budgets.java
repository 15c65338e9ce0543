package dev.falcon.attack;

import dev.falcon.InputException;

import java.util.List;
import java.util.stream.Stream;

/** Reading attack budgets, which the command line gives as text. */
final class Budgets {

    private Budgets() {
    }

    /** At least one budget, none repeated. */
    static void requireDistinct(String attack, List<String> budgets) {
        if (budgets.isEmpty()) {
            throw new InputException("attack " + attack + " needs at least one budget");
        }
        if (budgets.stream().distinct().count() != budgets.size()) {
            throw new InputException("attack " + attack + ": budgets repeat one another: " + budgets);
        }
    }

    /** At least one budget, none repeated, each a whole number of at least {@code min}. */
    static void requireCounts(String attack, List<String> budgets, int min) {
        requireDistinct(attack, budgets);
        budgets.forEach(b -> count(attack, b, min));
    }

    /** A whole number of at least {@code min}. */
    static int count(String attack, String budget, int min) {
        try {
            int n = Integer.parseInt(budget.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with what was expected
        }
        throw new InputException("attack " + attack + ": budget '" + budget + "' must be a whole number of at least "
                + min);
    }

    /** At least one budget, none repeated, each one of {@code known}. */
    static void requireKnown(String attack, List<String> budgets, List<String> known) {
        requireDistinct(attack, budgets);
        for (String budget : budgets) {
            if (!known.contains(budget)) {
                throw new InputException("attack " + attack + ": unknown budget '" + budget + "'; expected one of "
                        + String.join(", ", known));
            }
        }
    }

    /** {@code first} (the attack's no-op), then {@code labels}. */
    static List<String> after(String first, Stream<String> labels) {
        return Stream.concat(Stream.of(first), labels).toList();
    }
}
