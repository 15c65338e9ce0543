package dev.falcon.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.FactWorld;
import dev.falcon.layers.LayerSelectionResult;
import java.util.List;

/**
 * What the demo measured: the base model, the selected layer, and each method's scores.
 *
 * @param mcqForm "cloze" or "lettered", the MCQ form every accuracy is scored in
 */
public record DemoResults(FactWorld world, BaseModel base, DomainScores baseScores, String mcqForm,
                          LayerSelectionResult layers, int layer, List<MethodResult> methods) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * results.json: {"base": SCORES, "methods": {NAME: SCORES + "seconds", "note"}, "mcq_form",
     * "layer", "model": {"folder", "cached", "train_seconds"}}, where SCORES is {"forget_acc" (mean over
     * forget domains), "retain_acc" (mean over retain domains), "accuracy": {domain: acc},
     * "retain_perplexity"}; accuracies are fractions.
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("base", scores(baseScores));
        ObjectNode methodsNode = root.putObject("methods");
        for (MethodResult m : methods) {
            ObjectNode node = scores(m.scores());
            node.put("seconds", m.seconds()).put("note", m.note());
            methodsNode.set(m.name(), node);
        }
        root.put("mcq_form", mcqForm).put("layer", layer);
        root.putObject("model").put("folder", base.folder().toString()).put("cached", base.cached())
                .put("train_seconds", base.trainSeconds());
        return root;
    }

    private ObjectNode scores(DomainScores s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("forget_acc", s.meanAccuracy(world, true)).put("retain_acc", s.meanAccuracy(world, false));
        node.set("accuracy", JSON.valueToTree(s.accuracy()));
        node.put("retain_perplexity", s.retainPerplexity());
        return node;
    }

    /** A fixed-width table of accuracy per domain (percent) and retain perplexity, one row per model. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-8s", "model"));
        baseScores.accuracy().keySet().forEach(d -> out.append(String.format(" %10s", d)));
        out.append(String.format(" %10s%n", "retain ppl"));
        row(out, "base", baseScores);
        methods.forEach(m -> row(out, m.name(), m.scores()));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, DomainScores s) {
        out.append(String.format("%-8s", name));
        s.accuracy().values().forEach(a -> out.append(String.format(" %9.1f%%", 100 * a)));
        out.append(String.format(" %10.3f%n", s.retainPerplexity()));
    }
}
