package dev.falcon.demo.world;

import java.util.List;

/**
 * One attribute every entity of a domain has, e.g. a substance's colour. Text is written from
 * templates where {@code {e}} is the entity and {@code {v}} the value. {@code question} is held out:
 * it is the wording of the evaluation questions and never appears in training text, so the
 * questions test the fact rather than a memorised sentence; {@code drillQuestion} is a second
 * wording that training may use to teach the question-and-answer format.
 *
 * @param noun          what the generic templates call it ("colour", "number of moons")
 * @param question      the evaluation question, e.g. "What colour is {e}?"
 * @param drillQuestion the training question, e.g. "Which colour does {e} have?"
 * @param templates     statements specific to this attribute, e.g. "{e} is {v} in colour."
 * @param values        the possible values, each one word, distinct across the whole world
 */
public record WorldAttribute(String noun, String question, String drillQuestion, List<String> templates,
                             List<String> values) {

    public WorldAttribute {
        templates = List.copyOf(templates);
        values = List.copyOf(values);
    }

    /** Fills a template or question with an entity and a value. */
    static String fill(String template, String entity, String value) {
        return template.replace("{e}", entity).replace("{v}", value);
    }
}
