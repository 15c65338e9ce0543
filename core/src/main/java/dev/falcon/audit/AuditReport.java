package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.eval.MembershipInference;
import dev.falcon.eval.MembershipScore;
import dev.falcon.eval.PrivLeak;
import dev.falcon.io.Json;

import java.util.Map;
import java.util.Optional;

/**
 * Everything an audit found, and its verdict.
 *
 * @param chance          the forget questions' accuracy at random
 * @param forgetQuestions forget questions given
 * @param retainQuestions retain questions given
 * @param battery         the attacks run (with their budgets) and those skipped
 * @param unlearned       what the audit measured on the unlearned model
 * @param original        the same on the original, the control
 * @param referenceAuc    the reference model's membership-inference AUCs, when one was given
 * @param files           SHA-256 of every input file, by role (see {@link FileHashes})
 */
public record AuditReport(AuditSettings settings, double chance, int forgetQuestions, int retainQuestions,
                          AttackBattery battery, ModelFindings unlearned, ModelFindings original,
                          Optional<Map<MembershipScore, Double>> referenceAuc, ObjectNode files) {

    public AuditReport {
        files = files.deepCopy();
    }

    /** The highest forget accuracy the verdict allows: chance plus the forget margin. */
    public double forgetLimit() {
        return chance + settings.thresholds().forgetMargin() / 100;
    }

    public WorstCase worstCase() {
        return WorstCase.of(unlearned);
    }

    public Verdict verdict() {
        return Verdict.of(this);
    }

    /** The unlearned model's PrivLeak against the reference; NaN without texts or a reference. */
    public double privLeak() {
        return privLeak(unlearned);
    }

    private double privLeak(ModelFindings m) {
        return m.membership().isEmpty() || referenceAuc.isEmpty() ? Double.NaN
                : m.membership().get().privLeak(referenceAuc.get().get(PrivLeak.SCORE));
    }

    /** audit.json; see README, "falcon audit". */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("verdict", verdict().toJson());
        json.set("worst_case", worstCase().toJson());
        json.put("chance", chance);
        json.putObject("questions").put("forget", forgetQuestions).put("retain", retainQuestions);
        ObjectNode scores = json.putObject("scores");
        scores.set("unlearned", unlearned.scoresJson());
        scores.set("original", original.scoresJson());
        ArrayNode attacks = json.putArray("attacks");
        for (AttackBattery.Planned p : battery.planned()) {
            String name = p.attack().name();
            ObjectNode a = attacks.addObject().put("attack", name).put("budget_axis", p.attack().budgetAxis());
            p.budgets().forEach(a.putArray("budgets")::add);
            a.set("unlearned", unlearned.curves().get(name).toJson());
            a.set("original", original.curves().get(name).toJson());
        }
        json.set("skipped", battery.skippedJson());
        json.set("membership_inference", membershipJson());
        json.set("files", files.deepCopy());
        json.set("settings", settings.toJson());
        return json;
    }

    private ObjectNode membershipJson() {
        if (unlearned.membership().isEmpty()) {
            return null;
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("unlearned", unlearned.membershipJson());
        json.set("original", original.membershipJson());
        json.set("reference_auc", referenceAuc.map(ModelFindings::aucJson).orElse(null));
        ObjectNode leak = json.putObject("privleak").put("score", PrivLeak.SCORE.key());
        putFinite(leak, "unlearned", privLeak(unlearned));
        putFinite(leak, "original", privLeak(original));
        return json.put("k", unlearned.membership().map(MembershipInference.Result::settings).orElseThrow().k());
    }

    /** JSON has no NaN: an undefined value is null. */
    private static void putFinite(ObjectNode json, String key, double value) {
        if (Double.isFinite(value)) {
            json.put(key, value);
        } else {
            json.putNull(key);
        }
    }
}
