package dev.falcon.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.falcon.eval.Accuracy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttackCurveTest {

    /**
     * The best point is the first with the most right answers; each point carries its count and Wilson
     * interval: 7 of 10 is [0.3968, 0.8922] (Wilson 1927, z = 1.96).
     */
    @Test
    void jsonHasEveryPointWithItsIntervalAndTheBest() {
        AttackCurve curve = new AttackCurve("quantize", "bits", "toy", List.of(
                new AttackCurve.Point("full", new Accuracy(3, 10)), new AttackCurve.Point("8", new Accuracy(7, 10)),
                new AttackCurve.Point("4-int", new Accuracy(7, 10))), JsonNodeFactory.instance.objectNode());
        JsonNode json = curve.toJson();
        assertEquals("bits", json.get("budget_axis").asText());
        assertEquals(3, json.get("curve").size());
        assertEquals("8", json.get("best").get("budget").asText());
        JsonNode point = json.get("curve").get(1);
        assertEquals(0.7, point.get("acc").asDouble(), 0.0);
        assertEquals(7, point.get("correct").asInt());
        assertEquals(10, point.get("n").asInt());
        assertEquals(0.3968, point.get("ci95").get(0).asDouble(), 1e-4);
        assertEquals(0.8922, point.get("ci95").get(1).asDouble(), 1e-4);
    }
}
