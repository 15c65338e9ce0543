package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.falcon.InputException;
import dev.falcon.attack.Attack;
import dev.falcon.attack.AttackInputs;
import dev.falcon.attack.Attacks;
import dev.falcon.io.Json;
import dev.falcon.model.LlamaConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The attacks an audit runs, each with its budgets, decided before any model is loaded: every attack of the
 * registry (or of the settings' list) at its own default budgets unless budgets are given. An attack whose
 * inputs are missing (relearning without forget text) is skipped at its defaults, with the reason, rather
 * than failing the audit; budgets given explicitly must be valid.
 *
 * @param planned the attacks that run, in registry order
 * @param skipped the attacks that do not, with why
 */
public record AttackBattery(List<Planned> planned, List<Skipped> skipped) {

    /** An attack and its budgets. */
    public record Planned(Attack attack, List<String> budgets) {
    }

    /** An attack left out, and why. */
    public record Skipped(String attack, String reason) {
    }

    public AttackBattery {
        planned = List.copyOf(planned);
        skipped = List.copyOf(skipped);
    }

    /** The battery for a model of {@code config} on {@code inputs}. */
    public static AttackBattery plan(AuditSettings settings, LlamaConfig config, AttackInputs inputs) {
        List<Planned> planned = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String name : settings.battery()) {
            Attack attack = Attacks.create(name, settings.attacks());
            List<String> given = settings.budgets().get(name);
            if (given != null) {
                attack.check(given, inputs);
                planned.add(new Planned(attack, given));
                continue;
            }
            List<String> budgets = attack.defaultBudgets(config, inputs);
            try {
                attack.check(budgets, inputs);
                planned.add(new Planned(attack, budgets));
            } catch (InputException e) {
                skipped.add(new Skipped(name, e.getMessage()));
            }
        }
        if (planned.isEmpty()) {
            throw new InputException("no attack can run on these inputs: " + skipped);
        }
        return new AttackBattery(planned, skipped);
    }

    /** Budgets to score, over all attacks: the length of a progress bar. */
    public int budgetCount() {
        return planned.stream().mapToInt(p -> p.budgets().size()).sum();
    }

    /** [{"attack", "reason"}, ...] */
    public ArrayNode skippedJson() {
        ArrayNode json = Json.MAPPER.createArrayNode();
        skipped.forEach(s -> json.addObject().put("attack", s.attack()).put("reason", s.reason()));
        return json;
    }
}
