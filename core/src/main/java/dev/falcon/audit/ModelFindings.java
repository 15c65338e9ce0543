package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.attack.AttackCurve;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.MembershipInference;
import dev.falcon.eval.MembershipScore;
import dev.falcon.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the audit measured on one model.
 *
 * @param forget     forget accuracy, no attack
 * @param retain     retain accuracy, no attack
 * @param curves     each attack's curve, by attack name in battery order
 * @param membership the membership inference on forget versus held-out texts, when they were given
 */
public record ModelFindings(Accuracy forget, Accuracy retain, Map<String, AttackCurve> curves,
                            Optional<MembershipInference.Result> membership) {

    public ModelFindings {
        curves = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }

    /** {"forget": accuracy, "retain": accuracy}; the curves and membership inference are laid out by the report. */
    ObjectNode scoresJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("forget", forget.toJson());
        json.set("retain", retain.toJson());
        return json;
    }

    /** {"auc": {score: AUC}, "n_forget", "n_holdout"}, forget texts as members; null without texts. */
    ObjectNode membershipJson() {
        return membership.map(r -> {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.set("auc", aucJson(r.auc()));
            return json.put("n_forget", r.forget().n()).put("n_holdout", r.holdout().n());
        }).orElse(null);
    }

    static ObjectNode aucJson(Map<MembershipScore, Double> auc) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        for (MembershipScore s : MembershipScore.values()) {
            json.put(s.key(), auc.get(s));
        }
        return json;
    }
}
