package dev.falcon.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.audit.AuditReport;
import dev.falcon.audit.Verdict;
import dev.falcon.audit.WorstCase;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqForm;
import dev.falcon.eval.Accuracy;
import dev.falcon.io.Json;
import dev.falcon.layers.LayerSelectionResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo measured: the base model, the selected layer, each method's scores and, when the demo
 * audited, each method's audit.
 *
 * @param form         the MCQ form every accuracy is scored in
 * @param auditCommand the falcon audit command line that repeats the audit of the FALCON model, when audited
 */
public record DemoResults(FactWorld world, BaseModel base, DomainScores baseScores, McqForm form,
                          LayerSelectionResult layers, int layer, List<MethodResult> methods,
                          Optional<String> auditCommand) {

    /**
     * results.json: {"base": SCORES, "methods": {NAME: SCORES + "seconds", "note", "audit"}, "mcq_form", "layer",
     * "seed", "model": {"folder", "cached", "train_seconds"}, "audit_command"}, where SCORES is {"forget_acc",
     * "forget_ci95" (all forget domains' questions together), "retain_acc", "retain_ci95", "accuracy": {domain:
     * ACC}, "retain_perplexity"}, ACC is {"acc", "ci95": [low, high], "correct", "n"} (see {@link Accuracy#toJson})
     * and "audit" is the method's audit.json (README, "falcon audit"); "audit" and "audit_command" are left out
     * when the demo ran without the audit. Accuracies are fractions, intervals are Wilson's at 95%.
     */
    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("base", scores(baseScores));
        ObjectNode methodsNode = root.putObject("methods");
        for (MethodResult m : methods) {
            ObjectNode node = scores(m.scores());
            node.put("seconds", m.seconds()).put("note", m.note());
            m.audit().ifPresent(a -> node.set("audit", a.toJson()));
            methodsNode.set(m.name(), node);
        }
        root.put("mcq_form", form.id()).put("layer", layer).put("seed", world.settings().seed());
        root.putObject("model").put("folder", base.folder().toString()).put("cached", base.cached())
                .put("train_seconds", base.trainSeconds());
        auditCommand.ifPresent(c -> root.put("audit_command", c));
        return root;
    }

    /** The methods' audits, by method, in run order; empty when the demo ran without the audit. */
    public Map<String, AuditReport> audits() {
        Map<String, AuditReport> out = new LinkedHashMap<>();
        methods.forEach(m -> m.audit().ifPresent(a -> out.put(m.name(), a)));
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
     * A fixed-width table, one row per model: accuracy per domain (percent) and retain perplexity; then, when
     * the demo audited, each model's worst case.
     */
    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-8s", "model"));
        baseScores.accuracy().keySet().forEach(d -> out.append(String.format(" %-21s", d)));
        out.append(String.format(" %10s%n", "retain ppl"));
        row(out, "base", baseScores);
        methods.forEach(m -> row(out, m.name(), m.scores()));
        Map<String, AuditReport> audits = audits();
        if (!audits.isEmpty()) {
            AuditReport any = audits.values().iterator().next();
            out.append(String.format("%naudit on the %d forget questions the relearning attack never shows (chance "
                    + "%.1f%%, forget limit %.1f%%); worst case: the highest forget accuracy of any attack x budget"
                    + "%n%-8s %-21s %-21s %-28s %s%n", any.forgetQuestions(), 100 * any.chance(),
                    100 * any.forgetLimit(), "model", "no attack", "worst case", "by", "verdict"));
            worstRow(out, "base", any.original().forget(), WorstCase.of(any.original()), "(control)");
            audits.forEach((name, a) -> worstRow(out, name, a.unlearned().forget(), a.worstCase(), verdict(a)));
        }
        return out.toString();
    }

    private static void worstRow(StringBuilder out, String name, Accuracy plain, WorstCase worst, String verdict) {
        out.append(String.format("%-8s %-21s %-21s %-28s %s%n", name, plain.percent(), worst.accuracy().percent(),
                worst.label(), verdict));
    }

    /** "PASS", or "FAIL (forget, retain)" naming the failed checks. */
    static String verdict(AuditReport a) {
        Verdict v = a.verdict();
        return v.passed() ? "PASS" : "FAIL (" + String.join(", ", v.checks().stream()
                .filter(c -> c.outcome() == Verdict.Outcome.FAIL).map(Verdict.Check::name).toList()) + ")";
    }

    private static void row(StringBuilder out, String name, DomainScores s) {
        out.append(String.format("%-8s", name));
        s.accuracy().values().forEach(a -> out.append(String.format(" %-21s", a.percent())));
        out.append(String.format(" %10.3f%n", s.retainPerplexity()));
    }
}
