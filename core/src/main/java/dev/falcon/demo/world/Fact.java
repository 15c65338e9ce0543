package dev.falcon.demo.world;

/** One fact of the world: {@code entity}'s {@code attribute} is {@code value}. */
public record Fact(WorldDomain domain, String entity, WorldAttribute attribute, String value) {

    /** The fact as a sentence in one template. */
    public String statement(String template) {
        return WorldAttribute.fill(template, entity, value);
    }
}
