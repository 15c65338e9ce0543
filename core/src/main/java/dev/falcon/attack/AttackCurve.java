package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.McqDataset;
import dev.falcon.eval.Accuracy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What one attack measured on one model: the accuracy on the scored questions at each budget.
 *
 * @param task    the multiple-choice task attacked
 * @param points  one per budget, in the order the budgets were given
 * @param details what the attack measured besides accuracy (training losses, ...), an empty object if nothing
 */
public record AttackCurve(String attack, String budgetAxis, String task, List<Point> points, ObjectNode details)
        implements Serializable {

    /** Accuracy after the attack at one budget. */
    public record Point(String budget, Accuracy accuracy) implements Serializable {
    }

    public AttackCurve {
        points = List.copyOf(points);
        details = details.deepCopy();
    }

    /**
     * Scores {@code questions} at every budget with {@code score}, telling {@code budgetDone} after each;
     * nothing measured besides accuracy.
     */
    static AttackCurve measure(Attack attack, McqDataset questions, List<String> budgets,
                               Function<String, Accuracy> score, Consumer<String> budgetDone) {
        List<Point> points = new ArrayList<>();
        for (String budget : budgets) {
            points.add(new Point(budget, score.apply(budget)));
            budgetDone.accept(budget);
        }
        return new AttackCurve(attack.name(), attack.budgetAxis(), questions.task(), points,
                JsonNodeFactory.instance.objectNode());
    }

    /** Curves of one attack on the same questions at successive budgets, as one curve; the first's details. */
    public static AttackCurve joined(List<AttackCurve> parts) {
        AttackCurve first = parts.get(0);
        List<Point> points = new ArrayList<>();
        parts.forEach(c -> points.addAll(c.points()));
        return new AttackCurve(first.attack(), first.budgetAxis(), first.task(), points, first.details());
    }

    /** The point with the highest accuracy (the first of ties): the attack's worst case for the defender. */
    public Point best() {
        return points.stream().max(Comparator.comparingInt(p -> p.accuracy().correct())).orElseThrow();
    }

    /**
     * {"attack", "budget_axis", "task", "curve": [{"budget", "acc", "ci95", "correct", "n"}, ...], "best": {...},
     * "details"}; accuracies with their Wilson 95% intervals.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("attack", attack).put("budget_axis", budgetAxis)
                .put("task", task);
        ArrayNode curve = json.putArray("curve");
        points.forEach(p -> curve.add(pointJson(p)));
        json.set("best", pointJson(best()));
        json.set("details", details.deepCopy());
        return json;
    }

    private static ObjectNode pointJson(Point p) {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("budget", p.budget());
        json.setAll(p.accuracy().toJson());
        return json;
    }
}
