package dev.falcon.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.FactWorld;
import dev.falcon.data.McqForm;
import dev.falcon.layers.LayerSelectionResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo measured: the base model, the selected layer, each method's scores, and what the
 * recovery attacks got back from every model.
 *
 * @param form the MCQ form every accuracy is scored in
 */
public record DemoResults(FactWorld world, BaseModel base, DomainScores baseScores, DemoAttacks.Outcome baseAttacks,
                          McqForm form, LayerSelectionResult layers, int layer, List<MethodResult> methods) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * results.json: {"base": SCORES, "methods": {NAME: SCORES + "seconds", "note"}, "attacks": {MODEL:
     * ATTACKS}, "mcq_form", "layer", "model": {"folder", "cached", "train_seconds"}}, where SCORES is
     * {"forget_acc" (mean over forget domains), "retain_acc" (mean over retain domains), "accuracy":
     * {domain: acc}, "retain_perplexity"}, MODEL is "base" or a method's name, and ATTACKS is
     * {"logit_lens": {"forget": LENS, "retain": LENS}, "relearn": CURVE, "jailbreak": TEMPLATES} in the
     * attack classes' own JSON forms; accuracies are fractions.
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
        ObjectNode attacksNode = root.putObject("attacks");
        attacks().forEach((name, outcome) -> attacksNode.set(name, outcome.toJson()));
        root.put("mcq_form", form.id()).put("layer", layer);
        root.putObject("model").put("folder", base.folder().toString()).put("cached", base.cached())
                .put("train_seconds", base.trainSeconds());
        return root;
    }

    /** Every model's attack outcome, base first, then the methods in run order. */
    public Map<String, DemoAttacks.Outcome> attacks() {
        Map<String, DemoAttacks.Outcome> out = new LinkedHashMap<>();
        out.put("base", baseAttacks);
        methods.forEach(m -> out.put(m.name(), m.attacks()));
        return out;
    }

    private ObjectNode scores(DomainScores s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("forget_acc", s.meanAccuracy(world, true)).put("retain_acc", s.meanAccuracy(world, false));
        node.set("accuracy", JSON.valueToTree(s.accuracy()));
        node.put("retain_perplexity", s.retainPerplexity());
        return node;
    }

    /**
     * Two fixed-width tables, one row per model: accuracy per domain (percent) and retain
     * perplexity; then what each attack recovered on the forget questions.
     */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-8s", "model"));
        baseScores.accuracy().keySet().forEach(d -> out.append(String.format(" %10s", d)));
        out.append(String.format(" %10s%n", "retain ppl"));
        row(out, "base", baseScores);
        methods.forEach(m -> row(out, m.name(), m.scores()));
        out.append(String.format("%nrecovery attacks on the forget questions (logit lens: best layer; jailbreak: best "
                + "template):%n%-8s %12s %16s %16s %14s%n", "model", "logit lens", "held out before", "after relearn",
                "jailbreak"));
        attacks().forEach((name, a) -> out.append(String.format("%-8s %11.1f%% %15.1f%% %15.1f%% %13.1f%%%n", name,
                100 * a.forgetLens().max(), 100 * a.relearn().before(), 100 * a.relearn().after(),
                100 * a.jailbreak().max())));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, DomainScores s) {
        out.append(String.format("%-8s", name));
        s.accuracy().values().forEach(a -> out.append(String.format(" %9.1f%%", 100 * a)));
        out.append(String.format(" %10.3f%n", s.retainPerplexity()));
    }
}
