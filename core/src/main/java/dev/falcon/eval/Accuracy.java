package dev.falcon.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Collection;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * A measured accuracy: {@code correct} of {@code total} questions, with its 95% confidence interval.
 * Wilson's score interval rather than the normal approximation: it stays inside [0, 1] and keeps its
 * coverage near 0% and 100%, where unlearned and base models sit.
 */
public record Accuracy(int correct, int total) implements Serializable {

    /** The confidence level of {@link #low()} and {@link #high()}. */
    public static final double LEVEL = 0.95;

    public Accuracy {
        if (total < 0 || correct < 0 || correct > total) {
            throw new IllegalArgumentException("accuracy needs 0 <= correct <= total, got " + correct + " of " + total);
        }
    }

    /** An accuracy known as a fraction of {@code total} questions (rounded to the nearest count). */
    public static Accuracy of(double fraction, int total) {
        return new Accuracy((int) Math.round(fraction * total), total);
    }

    /** The pooled accuracy of several question sets (all their questions counted together). */
    public static Accuracy pooled(Collection<Accuracy> parts) {
        return new Accuracy(parts.stream().mapToInt(Accuracy::correct).sum(),
                parts.stream().mapToInt(Accuracy::total).sum());
    }

    /** correct / total; NaN for no questions. */
    public double value() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Lower end of the 95% interval. */
    public double low() {
        return interval().getLowerBound();
    }

    /** Upper end of the 95% interval. */
    public double high() {
        return interval().getUpperBound();
    }

    /** {"acc", "ci95": [low, high], "correct", "n"}, fractions. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("acc", value());
        node.set("ci95", ci95());
        return node.put("correct", correct).put("n", total);
    }

    /** [low, high] as JSON. */
    public ArrayNode ci95() {
        ConfidenceInterval ci = interval();
        return JsonNodeFactory.instance.arrayNode().add(ci.getLowerBound()).add(ci.getUpperBound());
    }

    /** "97.5% [95.1, 98.8]": percent with the interval. */
    public String percent() {
        ConfidenceInterval ci = interval();
        return String.format("%.1f%% [%.1f, %.1f]", 100 * value(), 100 * ci.getLowerBound(),
                100 * ci.getUpperBound());
    }

    private ConfidenceInterval interval() {
        if (total == 0) {
            return new ConfidenceInterval(0, 1, LEVEL);
        }
        return new WilsonScoreInterval().createInterval(total, correct, LEVEL);
    }
}
