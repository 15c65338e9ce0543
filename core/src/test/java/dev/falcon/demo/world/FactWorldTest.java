package dev.falcon.demo.world;

import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqItem;
import dev.falcon.data.TextCorpus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class FactWorldTest {

    private static final String LETTERED_HEADER = "The following are multiple choice questions (with answers) about ";
    private static final String CLOZE_HEADER = "The following are questions (with answers) about ";

    private final FactWorld world = FactWorld.generate(WorldSettings.defaults());

    @Test
    void sameSettingsWriteTheSameBytes(@TempDir Path a, @TempDir Path b) throws IOException {
        world.writeTo(a);
        FactWorld.generate(WorldSettings.defaults()).writeTo(b.resolve("nested"));
        for (String name : world.fileNames()) {
            assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve("nested").resolve(name)),
                    name);
        }
        try (Stream<Path> files = Files.list(a)) {
            assertEquals(Set.copyOf(world.fileNames()), files.map(f -> f.getFileName().toString())
                    .collect(Collectors.toSet()), "no temporary files left behind");
        }
        assertEquals(world.key(), FactWorld.generate(WorldSettings.defaults()).key());
    }

    @Test
    void anotherSeedIsAnotherWorld() {
        FactWorld other = FactWorld.generate(WorldSettings.defaults().withSeed(7));
        assertNotEquals(world.entities("alchemy"), other.entities("alchemy"));
        assertNotEquals(world.facts().stream().map(Fact::value).toList(),
                other.facts().stream().map(Fact::value).toList());
        assertNotEquals(world.trainingText(), other.trainingText());
        assertNotEquals(world.key(), other.key());
        assertTrue(other.key().startsWith("seed7-e30-p4-c1-l1-"), other.key());
    }

    @Test
    void drillsChangeTheTrainingTextButNotTheFactsOrQuestions() {
        FactWorld plain = FactWorld.generate(new WorldSettings(WorldSettings.defaults().seed(), 30, 4, false, 0));
        assertEquals(world.facts(), plain.facts());
        assertEquals(world.questions("towns"), plain.questions("towns"));
        assertEquals(world.domainText("alchemy"), plain.domainText("alchemy"));
        assertNotEquals(world.key().substring(world.key().lastIndexOf('-')),
                plain.key().substring(plain.key().lastIndexOf('-')));
    }

    /** 3 domains x 30 entities x 5 attributes = 450 facts; 4 phrasings + 1 cloze + 1 lettered drill each. */
    @Test
    void sizesFollowTheSettings() {
        assertEquals(List.of("alchemy", "astronomy", "towns"), world.domains().stream().map(WorldDomain::name).toList());
        assertEquals(450, world.facts().size());
        for (WorldDomain domain : world.domains()) {
            assertEquals(30, world.entities(domain.name()).size());
            assertEquals(5, domain.attributes().size());
            assertEquals(150, world.facts(domain.name()).size());
            assertEquals(150 * 4, world.domainText(domain.name()).size());
            assertEquals(150, world.questions(domain.name()).size());
        }
        assertEquals(450 * (4 + 2), world.trainingText().size());
        FactWorld big = FactWorld.generate(new WorldSettings(3, 60, 6, false, 3));
        assertEquals(3 * 60 * 5 * (6 + 3), big.trainingText().size());
    }

    @Test
    void onlyTheForgetDomainsAreForgotten() {
        assertEquals(List.of("train.jsonl", "forget_alchemy.txt", "mcq_alchemy.jsonl", "forget_astronomy.txt",
                "mcq_astronomy.jsonl", "retain_towns.txt", "mcq_towns.jsonl"), world.fileNames());
    }

    /**
     * The held-out side of the demo's membership inference: each statement about the entity in the same
     * template with another value of the attribute, so that no sentence of it is in the training text.
     */
    @Test
    void counterfactualTextChangesEveryValueAndIsNeverTrainedOn() {
        Set<String> trained = Set.copyOf(world.trainingText());
        for (WorldDomain domain : world.domains()) {
            String entity = world.entities(domain.name()).get(1);
            List<String> text = world.entityText(domain.name(), entity);
            List<String> counterfactual = world.counterfactualText(domain.name(), entity);
            assertEquals(text.size(), counterfactual.size());
            List<Fact> facts = world.facts(domain.name()).stream().filter(f -> f.entity().equals(entity)).toList();
            for (int i = 0; i < text.size(); i++) {
                Fact fact = facts.get(i / world.settings().phrasingsPerFact());
                String sentence = counterfactual.get(i);
                assertTrue(sentence.contains(entity) && !sentence.contains(fact.value()), sentence);
                assertTrue(trained.contains(text.get(i)) && !trained.contains(sentence), sentence);
            }
            assertEquals(counterfactual, world.counterfactualText(domain.name(), entity), "drawn from the seed");
        }
    }

    @Test
    void eachFactIsPhrasedInDistinctSentencesNamingEntityBeforeValue() {
        for (WorldDomain domain : world.domains()) {
            List<String> text = world.domainText(domain.name());
            List<Fact> facts = world.facts(domain.name());
            for (int i = 0; i < facts.size(); i++) {
                List<String> phrasings = text.subList(4 * i, 4 * i + 4);
                assertEquals(4, Set.copyOf(phrasings).size(), phrasings::toString);
                Fact fact = facts.get(i);
                for (String sentence : phrasings) {
                    int entity = sentence.indexOf(fact.entity());
                    assertTrue(entity >= 0 && sentence.indexOf(fact.value(), entity) > entity, sentence);
                }
            }
        }
    }

    @Test
    void namesAndValuesNeverRepeatAcrossTheWorld() {
        Set<String> names = new HashSet<>();
        world.domains().forEach(d -> world.entities(d.name()).forEach(name -> assertTrue(names.add(name), name)));
        Set<String> values = new HashSet<>();
        for (WorldDomain domain : WorldDomains.all()) {
            for (WorldAttribute attribute : domain.attributes()) {
                attribute.values().forEach(v -> assertTrue(values.add(v.toLowerCase()), v));
            }
        }
        names.forEach(name -> assertTrue(!values.contains(name.toLowerCase()), name));
    }

    @Test
    void questionsOfferTheTrueValueAndThreeOthersOfTheSameAttribute() {
        for (WorldDomain domain : world.domains()) {
            List<Fact> facts = world.facts(domain.name());
            List<McqItem> items = world.questions(domain.name());
            Set<Integer> positions = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                McqItem item = items.get(i);
                Fact fact = facts.get(i);
                assertEquals(4, Set.copyOf(item.choices()).size(), item::toString);
                assertEquals(fact.value(), item.choices().get(item.answer()));
                assertTrue(fact.attribute().values().containsAll(item.choices()), item::toString);
                assertEquals(fact.attribute().question().replace("{e}", fact.entity()), item.question());
                assertEquals(domain.name(), item.subject());
                positions.add(item.answer());
            }
            // 150 draws miss a given position with probability (3/4)^150, about 1e-19.
            assertEquals(Set.of(0, 1, 2, 3), positions);
        }
    }

    @Test
    void evaluationWordingNeverAppearsInTrainingText() {
        Set<String> questions = new HashSet<>();
        world.domains().forEach(d -> world.questions(d.name()).forEach(q -> questions.add(q.question())));
        for (String document : world.trainingText()) {
            for (String question : questions) {
                assertTrue(!document.contains(question), document);
            }
        }
    }

    /** A drill answers with the letter of the one choice that is a value of the asked entity. */
    @Test
    void drillsAnswerWithTheTrueValue() {
        int lettered = 0;
        int cloze = 0;
        for (String document : world.trainingText()) {
            if (document.startsWith(LETTERED_HEADER)) {
                lettered++;
                assertLetteredDrillIsRight(document);
            } else if (document.startsWith(CLOZE_HEADER)) {
                cloze++;
                String question = document.substring(document.indexOf("Question: "), document.indexOf("\nAnswer: "));
                String answer = document.substring(document.indexOf("\nAnswer: ") + 9);
                assertEquals(List.of(answer), valuesOf(entityIn(question)).stream().filter(answer::equals).toList());
            }
        }
        assertEquals(450, lettered);
        assertEquals(450, cloze);
    }

    private void assertLetteredDrillIsRight(String document) {
        String[] lines = document.split("\n");
        String entity = entityIn(lines[2]);
        List<String> choices = new ArrayList<>();
        for (int i = 3; i < 7; i++) {
            assertEquals((char) ('A' + i - 3) + ". ", lines[i].substring(0, 3), document);
            choices.add(lines[i].substring(3));
        }
        List<String> own = choices.stream().filter(valuesOf(entity)::contains).toList();
        assertEquals(1, own.size(), document);
        assertEquals("Answer: " + (char) ('A' + choices.indexOf(own.get(0))), lines[7]);
    }

    private String entityIn(String question) {
        return world.facts().stream().map(Fact::entity).filter(question::contains).findFirst().orElseThrow();
    }

    private List<String> valuesOf(String entity) {
        return world.facts().stream().filter(f -> f.entity().equals(entity)).map(Fact::value).toList();
    }

    @Test
    void writtenFilesReadBackThroughTheProjectReaders(@TempDir Path dir) throws IOException {
        world.writeTo(dir);
        assertEquals(world.trainingText(), TextCorpus.read(dir.resolve("train.jsonl")).stream().map(Document::text).toList());
        assertEquals(world.domainText("astronomy"),
                TextCorpus.read(dir.resolve("forget_astronomy.txt")).stream().map(Document::text).toList());
        assertEquals(world.domainText("towns"),
                TextCorpus.read(dir.resolve("retain_towns.txt")).stream().map(Document::text).toList());
        McqDataset read = McqDataset.read(dir.resolve("mcq_alchemy.jsonl"));
        assertEquals("mcq_alchemy", read.task(), "McqDataset names a task by its file stem");
        assertEquals(List.of(), read.problems());
        List<McqItem> expected = world.questions("alchemy");
        for (int i = 0; i < expected.size(); i++) {
            McqItem got = read.items().get(i);
            assertEquals(expected.get(i).question(), got.question());
            assertEquals(expected.get(i).choices(), got.choices());
            assertEquals(expected.get(i).answer(), got.answer());
            assertEquals(expected.get(i).subject(), got.subject());
            assertEquals(expected.get(i).line(), got.line());
        }
    }

    /**
     * Each entity's statements name it and no other entity, each of its questions too, and together the
     * entities' slices are the domain's text and questions in order.
     */
    @Test
    void entitySlicesPartitionTheDomainTextAndQuestions() {
        for (WorldDomain domain : world.domains()) {
            List<String> names = world.entities(domain.name());
            List<String> text = new ArrayList<>();
            List<McqItem> questions = new ArrayList<>();
            for (String name : names) {
                List<String> own = world.entityText(domain.name(), name);
                List<McqItem> asked = world.entityQuestions(domain.name(), name);
                assertEquals(domain.attributes().size() * world.settings().phrasingsPerFact(), own.size());
                assertEquals(domain.attributes().size(), asked.size());
                own.forEach(sentence -> assertEquals(List.of(name), mentioned(sentence, names), sentence));
                asked.forEach(q -> assertEquals(List.of(name), mentioned(q.question(), names), q.question()));
                text.addAll(own);
                questions.addAll(asked);
            }
            assertEquals(world.domainText(domain.name()), text);
            assertEquals(world.questions(domain.name()), questions);
        }
        assertBad(() -> world.entityText("towns", "Nobody"), "no entity 'Nobody' in domain towns");
    }

    private static List<String> mentioned(String text, List<String> names) {
        return names.stream().filter(n -> Pattern.compile("\\b" + n + "\\b").matcher(text).find())
                .toList();
    }

    @Test
    void badSettingsAndDomainsAreInputErrors() {
        assertBad(() -> new WorldSettings(1, 0, 4, true, 1), "entitiesPerDomain must be in 1..60, got 0");
        assertBad(() -> new WorldSettings(1, 61, 4, true, 1), "entitiesPerDomain must be in 1..60, got 61");
        assertBad(() -> new WorldSettings(1, 30, 7, true, 1), "phrasingsPerFact must be in 1..6, got 7");
        assertBad(() -> new WorldSettings(1, 30, 4, true, -1), "letteredDrillsPerFact must be in 0..8, got -1");
        assertBad(() -> world.domainText("biology"), "unknown world domain 'biology' (known: alchemy, astronomy, towns)");
    }

    private static void assertBad(Executable call, String message) {
        InputException e = assertThrows(InputException.class, call);
        assertTrue(e.getMessage().endsWith(message), e.getMessage());
    }
}
