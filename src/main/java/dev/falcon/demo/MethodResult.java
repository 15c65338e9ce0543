package dev.falcon.demo;

import java.util.List;
import java.util.Map;

/**
 * One unlearning method's run on the base model.
 *
 * @param scores  the edited model's scores
 * @param losses  each named loss at every step, in step order
 * @param seconds wall-clock time of the unlearning itself
 * @param note    how it was run (optimizer, lr, steps), for the report
 * @param attacks what the recovery attacks got back from the edited model
 */
public record MethodResult(String name, DomainScores scores, Map<String, List<Double>> losses, double seconds,
                           String note, DemoAttacks.Outcome attacks) {
}
