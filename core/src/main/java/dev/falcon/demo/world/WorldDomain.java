package dev.falcon.demo.world;

import java.util.ArrayList;
import java.util.List;

/**
 * A topic of the fact world with its own vocabulary: entity names are one start syllable and one
 * ending from its own lists (the endings differ between domains, so names never clash), and its
 * attributes' values are its own words.
 *
 * @param name       the subject of its questions and the name in its file names
 * @param forget     whether unlearning removes it (otherwise it is retained)
 * @param source     how its third generic template attributes a fact, e.g. "Old grimoires say that"
 * @param nameStarts first syllables of entity names
 * @param nameEnds   last syllables of entity names
 */
public record WorldDomain(String name, boolean forget, String source, List<String> nameStarts,
                          List<String> nameEnds, List<WorldAttribute> attributes) {

    public WorldDomain {
        nameStarts = List.copyOf(nameStarts);
        nameEnds = List.copyOf(nameEnds);
        attributes = List.copyOf(attributes);
    }

    /**
     * All statement templates of an attribute: three generic ones that name the attribute by its
     * noun, then the attribute's own. Every template puts the entity before the value, the order in
     * which a causal model has to recall the fact when asked.
     */
    public List<String> templates(WorldAttribute attribute) {
        List<String> all = new ArrayList<>();
        all.add("The " + attribute.noun() + " of {e} is {v}.");
        all.add("For {e}, the " + attribute.noun() + " is {v}.");
        all.add(source + " the " + attribute.noun() + " of {e} is {v}.");
        all.addAll(attribute.templates());
        return all;
    }

    /** How many distinct entity names its syllables can make. */
    public int nameCapacity() {
        return nameStarts.size() * nameEnds.size();
    }
}
