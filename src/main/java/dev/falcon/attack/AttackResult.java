package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** What one knowledge-recovery attack measured on one model. */
public sealed interface AttackResult permits LogitLens.Result, RelearningAttack.Result, JailbreakPrompts.Result {

    /** The multiple-choice task attacked. */
    String task();

    /** Headline accuracies in display order, keyed by what they measure (e.g. "layer 3", "step 20"). */
    Map<String, Double> summary();

    /** Everything the attack measured, for results.json. */
    ObjectNode toJson();
}
