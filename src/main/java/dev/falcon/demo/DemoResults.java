package dev.falcon.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqForm;
import dev.falcon.eval.Accuracy;
import dev.falcon.io.Json;
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

    /**
     * results.json: {"base": SCORES, "methods": {NAME: SCORES + "seconds", "note"}, "attacks": {MODEL:
     * ATTACKS}, "mcq_form", "layer", "seed", "model": {"folder", "cached", "train_seconds"}}, where
     * SCORES is {"forget_acc", "forget_ci95" (all forget domains' questions together), "retain_acc",
     * "retain_ci95", "accuracy": {domain: ACC}, "retain_perplexity"}, ACC is {"acc", "ci95": [low, high],
     * "correct", "n"} (see {@link Accuracy#toJson}), MODEL is "base" or a method's name, and ATTACKS is
     * {"logit_lens": {"forget": LENS, "retain": LENS}, "relearn": CURVE, "jailbreak": TEMPLATES} in the
     * attack classes' own JSON forms, each accuracy with its "ci95"; accuracies are fractions, intervals
     * are Wilson's at 95%.
     */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("base", scores(baseScores));
        ObjectNode methodsNode = root.putObject("methods");
        for (MethodResult m : methods) {
            ObjectNode node = scores(m.scores());
            node.put("seconds", m.seconds()).put("note", m.note());
            methodsNode.set(m.name(), node);
        }
        ObjectNode attacksNode = root.putObject("attacks");
        attacks().forEach((name, outcome) -> attacksNode.set(name, outcome.toJson()));
        root.put("mcq_form", form.id()).put("layer", layer).put("seed", world.settings().seed());
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
        ObjectNode node = Json.MAPPER.createObjectNode();
        pooled(node, "forget", s.pooledAccuracy(world, true));
        pooled(node, "retain", s.pooledAccuracy(world, false));
        ObjectNode byDomain = node.putObject("accuracy");
        s.accuracy().forEach((domain, a) -> byDomain.set(domain, a.toJson()));
        node.put("retain_perplexity", s.retainPerplexity());
        return node;
    }

    private static void pooled(ObjectNode node, String which, Accuracy a) {
        node.put(which + "_acc", a.value());
        node.set(which + "_ci95", a.ci95());
    }

    /**
     * Two fixed-width tables, one row per model: accuracy per domain (percent) and retain
     * perplexity; then what each attack recovered on the forget questions.
     */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-8s", "model"));
        baseScores.accuracy().keySet().forEach(d -> out.append(String.format(" %-21s", d)));
        out.append(String.format(" %10s%n", "retain ppl"));
        row(out, "base", baseScores);
        methods.forEach(m -> row(out, m.name(), m.scores()));
        out.append(String.format("%nrecovery attacks on the forget questions (logit lens: best layer; jailbreak: best "
                + "template):%n%-8s %-21s %-21s %-21s %-21s%n", "model", "logit lens", "held out before",
                "after relearn", "jailbreak"));
        attacks().forEach((name, a) -> out.append(String.format("%-8s %-21s %-21s %-21s %-21s%n", name,
                percent(a.forgetLens().max(), a.forgetLens().questions()),
                percent(a.relearn().before(), a.relearn().questions()),
                percent(a.relearn().after(), a.relearn().questions()),
                percent(a.jailbreak().max(), a.jailbreak().questions()))));
        return out.toString();
    }

    private static String percent(double fraction, int questions) {
        return Accuracy.of(fraction, questions).percent();
    }

    private static void row(StringBuilder out, String name, DomainScores s) {
        out.append(String.format("%-8s", name));
        s.accuracy().values().forEach(a -> out.append(String.format(" %-21s", a.percent())));
        out.append(String.format(" %10.3f%n", s.retainPerplexity()));
    }
}
