package dev.falcon.demo;

import dev.falcon.audit.AuditReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One unlearning method's run on the base model.
 *
 * @param scores  the edited model's scores
 * @param losses  each named loss at every step, in step order
 * @param seconds wall-clock time of the unlearning itself
 * @param note    how it was run (optimizer, lr, steps), for the report
 * @param audit   the audit of the edited model, unless the demo ran without one
 */
public record MethodResult(String name, DomainScores scores, Map<String, List<Double>> losses, double seconds,
                           String note, Optional<AuditReport> audit) {
}
