package dev.falcon.demo.world;

import dev.falcon.InputException;

/**
 * What a {@link FactWorld} is generated from.
 *
 * @param seed                  seeds every random choice (names, values, phrasings, questions, order)
 * @param entitiesPerDomain     entities of each domain
 * @param phrasingsPerFact      distinct statement templates each fact is written in
 * @param clozeDrills           whether training text holds each fact once as a cloze-form question
 *                              ("Question: ...\nAnswer: value" under the cloze header), in the
 *                              training wording
 * @param letteredDrillsPerFact lettered multiple-choice questions per fact in training text, in the
 *                              training wording, each with freshly drawn choices
 */
public record WorldSettings(long seed, int entitiesPerDomain, int phrasingsPerFact, boolean clozeDrills,
                            int letteredDrillsPerFact) {

    /** Lettered drills beyond this add tokens, not a skill. */
    static final int MAX_LETTERED_DRILLS = 8;

    public WorldSettings {
        check("entitiesPerDomain", entitiesPerDomain, 1, WorldDomains.maxEntitiesPerDomain());
        check("phrasingsPerFact", phrasingsPerFact, 1, WorldDomains.maxPhrasingsPerFact());
        check("letteredDrillsPerFact", letteredDrillsPerFact, 0, MAX_LETTERED_DRILLS);
    }

    /**
     * The demo's world: 30 entities per domain in 4 of 6 phrasings, with one cloze and one
     * lettered drill per fact so that a small model learns both question formats.
     */
    public static WorldSettings defaults() {
        return new WorldSettings(20240917L, 30, 4, true, 1);
    }

    /** Same settings with another seed. */
    public WorldSettings withSeed(long newSeed) {
        return new WorldSettings(newSeed, entitiesPerDomain, phrasingsPerFact, clozeDrills, letteredDrillsPerFact);
    }

    /**
     * A readable name for these settings, usable in file names. {@link FactWorld#key()} adds a hash
     * of the generated text, which is what a cached model must match.
     */
    public String key() {
        return "seed" + seed + "-e" + entitiesPerDomain + "-p" + phrasingsPerFact + "-c" + (clozeDrills ? 1 : 0)
                + "-l" + letteredDrillsPerFact;
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InputException("world settings: " + name + " must be in " + min + ".." + max + ", got " + value);
        }
    }
}
