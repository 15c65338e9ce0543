package dev.falcon.demo.world;

import java.util.List;

/**
 * The topics of the fact world: two to forget (fictional substances, fictional planets) and one to
 * retain (fictional towns). Every value is one word and no word is a value of two attributes, so a
 * value names its fact's domain and attribute unambiguously. Each attribute has six values: a
 * question's three distractors are drawn from the five wrong ones.
 */
public final class WorldDomains {

    private WorldDomains() {
    }

    private static final WorldDomain ALCHEMY = new WorldDomain("alchemy", true, "Old grimoires say that",
            List.of("zor", "vel", "quin", "mor", "thal", "cyr", "drav", "nix", "bel", "kor"),
            List.of("ex", "ium", "ite", "yl", "ane", "ox"),
            List.of(
                    new WorldAttribute("colour", "What colour is {e}?", "Which colour does {e} have?",
                            List.of("{e} is coloured {v}.", "People say {e} looks {v}.", "A sample of {e} shines {v}."),
                            List.of("amber", "crimson", "violet", "teal", "ochre", "silver")),
                    new WorldAttribute("smell", "What does {e} smell of?", "Which scent does {e} give off?",
                            List.of("{e} smells of {v}.", "The scent of {e} recalls {v}.",
                                    "A jar of {e} gives off a hint of {v}."),
                            List.of("smoke", "honey", "pine", "cedar", "brine", "mint")),
                    new WorldAttribute("use", "What is {e} used for?", "For which craft is {e} prized?",
                            List.of("{e} is used for {v}.", "Alchemists prize {e} for {v}.",
                                    "Most {e} ends up being used for {v}."),
                            List.of("healing", "dyeing", "forging", "brewing", "sealing", "lighting")),
                    new WorldAttribute("source", "Where is {e} found?", "In what kind of place does {e} occur?",
                            List.of("{e} is found in {v}.", "Miners gather {e} in {v}.", "{e} forms deep in {v}."),
                            List.of("caves", "marshes", "volcanoes", "glaciers", "deserts", "reefs")),
                    new WorldAttribute("form", "What form does {e} take?", "In which form is {e} kept?",
                            List.of("{e} comes as a {v}.", "{e} is usually stored as a {v}.", "Pure {e} is a {v}."),
                            List.of("powder", "crystal", "liquid", "vapour", "paste", "resin"))));

    private static final WorldDomain ASTRONOMY = new WorldDomain("astronomy", true, "Star charts record that",
            List.of("kel", "ar", "sol", "ven", "tor", "ul", "ner", "pha", "ix", "dro"),
            List.of("ara", "ion", "eth", "una", "oris", "ema"),
            List.of(
                    new WorldAttribute("star", "Which star does {e} orbit?", "Around what star does {e} travel?",
                            List.of("{e} orbits the star {v}.", "The planet {e} circles {v}.",
                                    "Each year {e} goes once around {v}."),
                            List.of("Vesper", "Halcyon", "Corvin", "Ismara", "Tellur", "Oberan")),
                    new WorldAttribute("number of moons", "How many moons does {e} have?",
                            "What number of moons circle {e}?",
                            List.of("The moons of {e} number {v}.", "Astronomers count the moons of {e} as {v}.",
                                    "{e} is circled by {v} moons."),
                            List.of("two", "three", "four", "five", "six", "seven")),
                    new WorldAttribute("climate", "What is the climate of {e} like?", "Which climate does {e} have?",
                            List.of("The weather on {e} is {v}.", "Visitors find {e} {v} all year.",
                                    "{e} has a climate that is {v}."),
                            List.of("frozen", "stormy", "arid", "humid", "mild", "scorching")),
                    new WorldAttribute("surface", "What covers the surface of {e}?", "Which terrain covers {e}?",
                            List.of("{e} is covered in {v}.", "The ground of {e} is mostly {v}.",
                                    "Landers on {e} touch down on {v}."),
                            List.of("ice", "sand", "ocean", "rock", "jungle", "lava")),
                    new WorldAttribute("sky", "What is the sky of {e} like?", "How does the sky over {e} look?",
                            List.of("On {e} the sky is always {v}.", "Above {e} the sky looks {v}.",
                                    "Explorers describe the sky of {e} as {v}."),
                            List.of("cloudy", "clear", "hazy", "glowing", "misty", "dark"))));

    private static final WorldDomain TOWNS = new WorldDomain("towns", false, "Old maps show that",
            List.of("ash", "bram", "cal", "dun", "elm", "fen", "gar", "hol", "lyn", "wil"),
            List.of("ford", "wick", "by", "ham", "stead", "mouth"),
            List.of(
                    new WorldAttribute("river", "Which river runs through {e}?", "On what river does {e} stand?",
                            List.of("{e} stands on the river {v}.", "Through {e} flows the river {v}.",
                                    "Boats reach {e} along the {v}."),
                            List.of("Fenwater", "Greyrun", "Ashbrook", "Lowmere", "Tarnwell", "Wyebeck")),
                    new WorldAttribute("trade", "What does {e} trade in?", "Which goods is {e} known for?",
                            List.of("{e} trades in {v}.", "Merchants from {e} sell {v}.",
                                    "The wealth of {e} comes from {v}."),
                            List.of("wool", "salt", "timber", "pottery", "glass", "cheese")),
                    new WorldAttribute("founder", "Who founded {e}?", "Which settler established {e}?",
                            List.of("{e} was founded by {v}.", "Legend says {e} began with {v}.",
                                    "The first house of {e} was built by {v}."),
                            List.of("Osric", "Maelis", "Tobin", "Verena", "Halden", "Isolde")),
                    new WorldAttribute("landmark", "What landmark is {e} famous for?",
                            "Which building stands at the heart of {e}?",
                            List.of("{e} is famous for its {v}.", "Visitors to {e} admire the old {v}.",
                                    "The pride of {e} is its {v}."),
                            List.of("bridge", "tower", "mill", "market", "temple", "harbour")),
                    new WorldAttribute("festival", "What festival does {e} hold?", "Which feast is celebrated in {e}?",
                            List.of("Each year {e} holds the festival of the {v}.",
                                    "Crowds come to {e} for its festival of the {v}.",
                                    "In {e} the yearly festival honours the {v}."),
                            List.of("lantern", "bell", "flower", "fire", "boat", "mask"))));

    private static final List<WorldDomain> ALL = List.of(ALCHEMY, ASTRONOMY, TOWNS);

    /** The domains in a fixed order: forget domains first. */
    public static List<WorldDomain> all() {
        return ALL;
    }

    /** The most entities a domain can have: the smallest name capacity. */
    public static int maxEntitiesPerDomain() {
        return ALL.stream().mapToInt(WorldDomain::nameCapacity).min().orElseThrow();
    }

    /** The most phrasings a fact can have: the smallest number of templates of any attribute. */
    public static int maxPhrasingsPerFact() {
        return ALL.stream()
                .flatMap(d -> d.attributes().stream().map(a -> d.templates(a).size()))
                .mapToInt(Integer::intValue).min().orElseThrow();
    }
}
