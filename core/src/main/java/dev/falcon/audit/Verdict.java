package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.PrivLeak;
import dev.falcon.io.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The audit's judgement: passed when no check failed. The checks, each on point estimates:
 * <ul>
 *   <li>control: the original's forget accuracy is above chance by more than the forget margin; otherwise
 *       there was nothing to forget and the audit cannot show that anything was removed;</li>
 *   <li>forget: the {@link WorstCase} is at most chance plus the forget margin;</li>
 *   <li>retain: the retain accuracy is at most the retain drop below the original's;</li>
 *   <li>privleak: |PrivLeak| is at most its bound; judged only with held-out texts and a reference.</li>
 * </ul>
 */
public record Verdict(List<Check> checks) {

    /**
     * Slack in every comparison, in fractions of one: an accuracy exactly at a limit (7 of 20 against 25% +
     * 10 points) passes although the two sides round differently in binary.
     */
    static final double TOLERANCE = 1e-9;

    /** How one check came out. */
    public enum Outcome {
        PASS, FAIL, NOT_JUDGED;

        String word() {
            return this == NOT_JUDGED ? "not judged" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** One check, with the numbers it compared. */
    public record Check(String name, Outcome outcome, String reason) {

        /** "fail forget: ..." */
        public String line() {
            return outcome.word() + " " + name + ": " + reason;
        }
    }

    public Verdict {
        checks = List.copyOf(checks);
    }

    /** Judges the findings against the thresholds. */
    static Verdict of(AuditReport r) {
        AuditThresholds t = r.settings().thresholds();
        double limit = r.forgetLimit();
        String chance = String.format(Locale.ROOT, "chance %s + %s points = %s", percent(r.chance()),
                number(t.forgetMargin()), percent(limit));
        List<Check> checks = new ArrayList<>();
        Accuracy known = r.original().forget();
        boolean knew = known.value() > limit + TOLERANCE;
        checks.add(new Check("control", knew ? Outcome.PASS : Outcome.FAIL, "the original's forget accuracy "
                + percent(known.value()) + (knew ? " is above " + chance : " is not above " + chance
                + ": it did not know the forget answers, so the audit cannot show that anything was removed")));
        WorstCase worst = r.worstCase();
        boolean forgotten = worst.accuracy().value() <= limit + TOLERANCE;
        checks.add(new Check("forget", forgotten ? Outcome.PASS : Outcome.FAIL, "worst case "
                + percent(worst.accuracy().value()) + " (" + worst.label() + ", " + worst.accuracy().correct() + " of "
                + worst.accuracy().total() + ")" + (forgotten ? " is at most " : " is above ") + chance));
        double drop = 100 * (r.original().retain().value() - r.unlearned().retain().value());
        boolean kept = drop <= t.retainDrop() + 100 * TOLERANCE;
        checks.add(new Check("retain", kept ? Outcome.PASS : Outcome.FAIL, String.format(Locale.ROOT,
                "retain accuracy %s against the original's %s: %s points lost, %s %s",
                percent(r.unlearned().retain().value()), percent(r.original().retain().value()), number(drop),
                kept ? "at most" : "more than", number(t.retainDrop()))));
        checks.add(privLeak(r, t));
        return new Verdict(checks);
    }

    private static Check privLeak(AuditReport r, AuditThresholds t) {
        if (r.unlearned().membership().isEmpty()) {
            return new Check("privleak", Outcome.NOT_JUDGED, "no forget and held-out texts");
        }
        if (r.referenceAuc().isEmpty()) {
            return new Check("privleak", Outcome.NOT_JUDGED, "no reference model (--reference)");
        }
        double leak = r.privLeak();
        boolean ok = Math.abs(leak) <= t.privLeakBound() + 100 * TOLERANCE;
        return new Check("privleak", ok ? Outcome.PASS : Outcome.FAIL, String.format(Locale.ROOT,
                "PrivLeak (%s) %s%%: |PrivLeak| %s %s%%", PrivLeak.SCORE.key(), number(leak),
                ok ? "is at most" : Double.isNaN(leak) ? "is undefined, not at most" : "is above",
                number(t.privLeakBound())));
    }

    /** Whether no check failed. */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.outcome() == Outcome.FAIL);
    }

    /** "PASS" or "FAIL", then one line per check. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(List.of(passed() ? "PASS" : "FAIL"));
        checks.forEach(c -> lines.add(c.line()));
        return lines;
    }

    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode().put("pass", passed());
        ArrayNode list = json.putArray("checks");
        checks.forEach(c -> list.addObject().put("name", c.name()).put("outcome", c.outcome().word())
                .put("reason", c.reason()));
        return json;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
