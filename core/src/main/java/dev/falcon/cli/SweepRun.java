package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.Json;

import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run of a sweep gave: its name and crossed settings, whether it finished ("done") or its
 * unlearning stopped early ("stopped", with why: then it has no metrics), and the metrics of its
 * results.json: every fractional number outside the per-sample lists, named by its path (mmlu_dev.acc,
 * tofu.sets.forget01.probability, mia.auc.min_k).
 */
record SweepRun(String name, LinkedHashMap<String, String> settings, String status, String reason,
                LinkedHashMap<String, Double> metrics) implements Serializable {

    static final String DONE = "done";
    static final String STOPPED = "stopped";

    static SweepRun done(SweepGrid.Configuration c, JsonNode results) {
        LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
        // results.json's "results" holds one entry per task: their names are the metrics' first part
        collect(results.path("results"), "", metrics);
        results.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("results")) {
                collect(e.getValue(), e.getKey() + ".", metrics);
            }
        });
        return new SweepRun(c.name(), c.settings(), DONE, null, metrics);
    }

    static SweepRun stopped(SweepGrid.Configuration c, String reason) {
        return new SweepRun(c.name(), c.settings(), STOPPED, reason, new LinkedHashMap<>());
    }

    /** The fractional numbers under {@code node}; lists (samples, per-question values) and "scores" are left out. */
    private static void collect(JsonNode node, String prefix, Map<String, Double> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isFloatingPointNumber()) {
                out.put(prefix + e.getKey(), v.doubleValue());
            } else if (v.isObject() && !e.getKey().equals("scores") && !e.getKey().equals("samples")) {
                collect(v, prefix + e.getKey() + ".", out);
            }
        }
    }

    /** {"name", "settings", "status", "reason" when stopped, "metrics"} */
    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("name", name);
        o.set("settings", Json.MAPPER.valueToTree(settings));
        o.put("status", status);
        if (reason != null) {
            o.put("reason", reason);
        }
        ObjectNode m = o.putObject("metrics");
        metrics.forEach(m::put);
        return o;
    }
}
