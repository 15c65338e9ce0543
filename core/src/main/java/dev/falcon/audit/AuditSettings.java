package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.Attacks;
import dev.falcon.data.McqForm;
import dev.falcon.io.Json;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an audit is run.
 *
 * @param form       the form every question is asked in
 * @param thresholds what the verdict demands
 * @param attacks    the attacks' knobs
 * @param battery    the attacks run, by name; all of {@link Attacks#NAMES} by default
 * @param budgets    budgets for some attacks in place of their defaults, by attack name
 * @param addBos     prepend BOS to every scored text (lm-eval's add_bos_token)
 * @param batchSize  sequences per scoring forward pass
 */
public record AuditSettings(McqForm form, AuditThresholds thresholds, AttackSettings attacks, List<String> battery,
                            Map<String, List<String>> budgets, boolean addBos, int batchSize) {

    public AuditSettings {
        battery = List.copyOf(battery);
        budgets = Map.copyOf(budgets);
        if (battery.isEmpty()) {
            throw new InputException("the audit needs at least one attack");
        }
        for (String name : battery) {
            if (!Attacks.NAMES.contains(name)) {
                throw new InputException("unknown attack '" + name + "'; expected one of " + String.join(", ",
                        Attacks.NAMES));
            }
        }
        for (String name : budgets.keySet()) {
            if (!battery.contains(name)) {
                throw new InputException("budgets given for " + name + ", which is not in the audit's attacks "
                        + battery);
            }
        }
        if (batchSize < 1) {
            throw new InputException("the scoring batch size must be at least 1, got " + batchSize);
        }
    }

    /** Every attack at its default budgets, lettered questions, the default thresholds. */
    public static AuditSettings defaults() {
        return new AuditSettings(McqForm.LETTERED, AuditThresholds.defaults(), AttackSettings.defaults(), Attacks.NAMES,
                Map.of(), false, 8);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode().put("form", form.id());
        json.set("thresholds", thresholds.toJson());
        json.set("attack_settings", Json.MAPPER.valueToTree(attacks));
        battery.forEach(json.putArray("attacks")::add);
        // sorted by attack: Map.copyOf's order changes from one JVM to the next, and the file must not
        json.set("budgets", Json.MAPPER.valueToTree(new TreeMap<>(budgets)));
        return json.put("add_bos", addBos).put("batch_size", batchSize);
    }
}
