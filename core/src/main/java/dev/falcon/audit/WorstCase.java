package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.attack.AttackCurve;
import dev.falcon.eval.Accuracy;
import dev.falcon.io.Json;

import java.util.stream.Stream;

/**
 * The highest forget accuracy anything reached on the unlearned model: the plain score (attack "none") or
 * any attack at any budget. Compared by accuracy, not by count, since the few-shot attack scores fewer
 * questions; the first of ties, plain score first.
 */
public record WorstCase(String attack, String budget, Accuracy accuracy) {

    public static final String NO_ATTACK = "none";

    /** The worst case of {@code unlearned}'s findings (of the original's, for the control). */
    public static WorstCase of(ModelFindings unlearned) {
        Stream<WorstCase> plain = Stream.of(new WorstCase(NO_ATTACK, NO_ATTACK, unlearned.forget()));
        Stream<WorstCase> attacked = unlearned.curves().values().stream().flatMap(WorstCase::points);
        return Stream.concat(plain, attacked).reduce((best, next) ->
                next.accuracy().value() > best.accuracy().value() ? next : best).orElseThrow();
    }

    private static Stream<WorstCase> points(AttackCurve curve) {
        return curve.points().stream().map(p -> new WorstCase(curve.attack(), p.budget(), p.accuracy()));
    }

    /** "quantize at 4-int", or "no attack". */
    public String label() {
        return attack.equals(NO_ATTACK) ? "no attack" : attack + " at " + budget;
    }

    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode().put("attack", attack).put("budget", budget);
        json.setAll(accuracy.toJson());
        return json;
    }
}
