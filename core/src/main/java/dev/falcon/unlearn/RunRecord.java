package dev.falcon.unlearn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.io.Sha256;
import dev.falcon.layers.LayerScore;
import dev.falcon.layers.LayerSelectionResult;
import dev.falcon.train.TrainLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** falcon-run.json: what was run on what (with input hashes), what each step measured, what changed. */
public final class RunRecord {

    private final ObjectNode root = Json.MAPPER.createObjectNode();

    /** Started by {@link UnlearnRun#record}; {@code model} says where the model came from. */
    RunRecord(Method method, long seed, String model) {
        root.put("method", method.label());
        root.put("seed", seed);
        root.put("model", model);
        root.putArray("inputs");
    }

    /** An input file, with its sha256. */
    public void input(String role, Path file) {
        ((ArrayNode) root.get("inputs")).addObject().put("role", role).put("file", file.toString())
                .put("sha256", Sha256.of(file));
    }

    void config(Object settings) {
        root.set("config", Json.MAPPER.valueToTree(settings));
    }

    /** Which {@link ActivationPath} the steps took. */
    void activations(ActivationPath path) {
        root.put("activations", path.label());
    }

    public void layerSelection(LayerSelectionResult result) {
        ObjectNode node = root.putObject("layer_selection");
        node.put("estimator", result.estimator());
        node.put("selected", result.selected().orElse(-1));
        ArrayNode layers = node.putArray("layers");
        for (LayerScore s : result.layers()) {
            ObjectNode l = layers.addObject().put("layer", s.layer());
            if (s.isFailed()) {
                l.put("error", s.failure());
            } else {
                l.put("mi", s.mi()).put("normalized", s.normalized());
            }
        }
    }

    void log(TrainLog log, Map<String, Double> changeNorms) {
        ArrayNode steps = root.putArray("steps");
        for (TrainLog.Step s : log.steps()) {
            ObjectNode step = steps.addObject().put("step", s.step()).put("topic", s.topic());
            s.losses().forEach((k, v) -> step.put(k + "_loss", v));
            if (s.cosines() != null) {
                ArrayNode c = step.putArray("gradient_cosines");
                for (double v : s.cosines()) {
                    c.add(v);
                }
            }
        }
        ArrayNode changed = root.putArray("changed_tensors");
        changeNorms.forEach((name, norm) -> changed.addObject().put("name", name).put("change_norm", norm));
        if (log.stoppedEarly() != null) {
            root.put("stopped_early", log.stoppedEarly());
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, Json.pretty(root) + "\n");
    }
}
