package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.eval.TofuResult;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The comparison's rows, the settings every method ran with, and how long each phase took. */
public record TofuBenchResult(TofuBenchConfig config, Map<String, Object> methodSettings, List<TofuRow> rows,
                              PhaseTimes phases) {

    public TofuBenchResult {
        methodSettings = Collections.unmodifiableMap(new LinkedHashMap<>(methodSettings));
        rows = List.copyOf(rows);
    }

    public String table() {
        return TofuTable.format(rows);
    }

    /** One method's settings as compact JSON (records' own toString hides arrays). */
    public String settingsJson(String method) {
        return Json.MAPPER.valueToTree(methodSettings.get(method)).toString();
    }

    /** Everything: configuration, per-method settings, phase seconds, and every set's scores and per-question values. */
    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode cfg = Json.MAPPER.valueToTree(config);
        cfg.put("data", config.data().toString());
        root.set("config", cfg);
        ObjectNode methods = root.putObject("method_settings");
        methodSettings.forEach((m, s) -> methods.set(m, Json.MAPPER.valueToTree(s)));
        ObjectNode times = root.putObject("phase_seconds");
        phases.all().forEach(times::put);
        root.put("total_seconds", phases.total());
        root.put("table", table());
        ArrayNode models = root.putArray("models");
        rows.forEach(r -> models.add(row(r)));
        return Json.pretty(root);
    }

    /** Writes {@link #toJson()} so that a reader never sees a half-written file. */
    public void write(Path file) {
        try {
            AtomicFiles.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode row(TofuRow r) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", r.name());
        node.put("forget_quality", r.forgetQuality());
        node.put("model_utility", r.modelUtility());
        node.put("forget_rouge_l", r.forgetRougeL());
        ObjectNode sets = node.putObject("sets");
        for (TofuResult s : r.sets()) {
            ObjectNode set = sets.putObject(s.task());
            set.put("questions", s.samples().size());
            set.put("probability", s.probability());
            set.put("rouge_l", s.rougeL());
            set.put("truth_ratio_score", s.truthRatioScore());
            ArrayNode samples = set.putArray("samples");
            for (TofuResult.Sample q : s.samples()) {
                samples.addObject().put("question", q.question()).put("probability", q.probability())
                        .put("truth_ratio", q.truthRatio()).put("rouge_l", q.rougeL())
                        .put("generated", q.generated());
            }
        }
        return node;
    }
}
