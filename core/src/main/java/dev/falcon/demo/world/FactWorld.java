package dev.falcon.demo.world;

import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A generated world of fictional facts for the offline demo: entities of each {@link WorldDomain}
 * get one random value per attribute; each fact is written in several statement templates
 * (the domain's text, which unlearning uses as its forget or retain set) and asked as one
 * multiple-choice question in the held-out wording of {@link WorldAttribute#question()}.
 *
 * <p>Training text is the statements of every domain plus optional drills: the fact asked in the
 * attribute's other wording ({@link WorldAttribute#drillQuestion()}) in lm-eval's cloze and
 * lettered prompt forms, answered. Without them a model trained from scratch has never seen a
 * question, an "Answer:" or a lettered list, and cannot answer one; with them it learns the
 * formats, while the evaluation questions stay sentences it has never seen.
 *
 * <p>Everything is a function of the {@link WorldSettings}: each kind of random choice draws from
 * its own {@link Random} stream (a specified algorithm, so the world is the same on every JVM),
 * so that, say, adding drills leaves the facts and the questions as they were.
 */
public final class FactWorld {

    private static final int CHOICES = 4;

    private final WorldSettings settings;
    private final List<Fact> facts;
    private final Map<String, List<String>> entities;
    private final Map<String, List<String>> domainText;
    /** The templates each fact's statements were written in, in statement order. */
    private final Map<Fact, List<String>> phrasings = new LinkedHashMap<>();
    private final Map<String, List<McqItem>> questions;
    private final List<String> trainingText;
    private final Map<String, String> files;

    private FactWorld(WorldSettings settings) {
        this.settings = settings;
        this.entities = new LinkedHashMap<>();
        this.facts = new ArrayList<>();
        Set<String> taken = reservedWords();
        for (WorldDomain domain : WorldDomains.all()) {
            List<String> names = entityNames(domain, taken);
            entities.put(domain.name(), List.copyOf(names));
            facts.addAll(assignValues(domain, names));
        }
        this.domainText = new LinkedHashMap<>();
        this.questions = new LinkedHashMap<>();
        List<String> training = new ArrayList<>();
        for (WorldDomain domain : WorldDomains.all()) {
            List<Fact> own = facts(domain.name());
            domainText.put(domain.name(), statements(domain, own));
            questions.put(domain.name(), evaluationQuestions(domain, own));
            training.addAll(domainText.get(domain.name()));
            training.addAll(drills(domain, own));
        }
        Collections.shuffle(training, stream("order", ""));
        this.trainingText = List.copyOf(training);
        this.files = renderFiles();
    }

    /** Generates the world; the same settings always give the same world. */
    public static FactWorld generate(WorldSettings settings) {
        return new FactWorld(settings);
    }

    public WorldSettings settings() {
        return settings;
    }

    /** The domains, forget domains first. */
    public List<WorldDomain> domains() {
        return WorldDomains.all();
    }

    /** The domain of that name; an {@link InputException} names the known ones otherwise. */
    public WorldDomain domain(String name) {
        return domains().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new InputException("unknown world domain '" + name + "' (known: "
                        + String.join(", ", domains().stream().map(WorldDomain::name).toList()) + ")"));
    }

    /** Every fact, by domain, then entity, then attribute. */
    public List<Fact> facts() {
        return Collections.unmodifiableList(facts);
    }

    /** The facts of one domain, by entity, then attribute. */
    public List<Fact> facts(String domain) {
        WorldDomain d = domain(domain);
        return facts.stream().filter(f -> f.domain() == d).toList();
    }

    /** Entity names of a domain, capitalised as the text writes them. */
    public List<String> entities(String domain) {
        return entities.get(domain(domain).name());
    }

    /** Statements and drills of all domains, one document each, in a seeded random order. */
    public List<String> trainingText() {
        return trainingText;
    }

    /**
     * Statements of one domain's facts, one sentence each, by fact, without drills: the set that
     * unlearning forgets or retains.
     */
    public List<String> domainText(String domain) {
        return domainText.get(domain(domain).name());
    }

    /** One question per fact of the domain, in the held-out wording; subject is the domain name. */
    public List<McqItem> questions(String domain) {
        return questions.get(domain(domain).name());
    }

    /** The statements of {@link #domainText} that are about one entity of the domain. */
    public List<String> entityText(String domain, String entity) {
        List<Integer> own = factsAbout(domain, entity);
        int phrasings = settings.phrasingsPerFact();
        return own.stream().flatMap(i -> domainText(domain).subList(i * phrasings, (i + 1) * phrasings).stream())
                .toList();
    }

    /** The questions of {@link #questions} that are about one entity of the domain. */
    public List<McqItem> entityQuestions(String domain, String entity) {
        return factsAbout(domain, entity).stream().map(i -> questions(domain).get(i)).toList();
    }

    /**
     * The statements of {@link #entityText} in the same templates, each fact's value replaced by another value of
     * its attribute (drawn per fact from the seed): text like the forget text that no model was trained on, the
     * held-out side of a membership inference.
     */
    public List<String> counterfactualText(String domain, String entity) {
        Random random = stream("counterfactual", domain + "/" + entity);
        List<String> out = new ArrayList<>();
        for (int i : factsAbout(domain, entity)) {
            Fact fact = facts(domain).get(i);
            List<String> others = new ArrayList<>(fact.attribute().values());
            others.remove(fact.value());
            Fact other = new Fact(fact.domain(), fact.entity(), fact.attribute(),
                    others.get(random.nextInt(others.size())));
            phrasings.get(fact).forEach(t -> out.add(other.statement(t)));
        }
        return out;
    }

    /** Positions in {@link #facts(String)} of the entity's facts; statements and questions follow that order. */
    private List<Integer> factsAbout(String domain, String entity) {
        List<Fact> own = facts(domain);
        List<Integer> out = IntStream.range(0, own.size()).filter(i -> own.get(i).entity().equals(entity))
                .boxed().toList();
        if (out.isEmpty()) {
            throw new InputException("no entity '" + entity + "' in domain " + domain);
        }
        return out;
    }

    /** Evaluation prompts of every domain in both lm-eval forms, for tokenizer coverage. */
    List<McqPrompt> evaluationPrompts() {
        List<McqPrompt> prompts = new ArrayList<>();
        for (List<McqItem> items : questions.values()) {
            for (McqItem item : items) {
                prompts.add(McqPrompt.lettered(item));
                prompts.add(McqPrompt.cloze(item));
            }
        }
        return prompts;
    }

    /**
     * Names a trained model: the settings' key and a hash of every file {@link #writeTo} writes, so
     * that any change to the generated text (a new template, say) gives a new key.
     */
    public String key() {
        StringBuilder all = new StringBuilder();
        files.forEach((name, content) -> all.append(name).append('\0').append(content).append('\0'));
        return settings.key() + "-" + Sha256.of(all.toString()).substring(0, 16);
    }

    /**
     * Writes, each atomically: train.jsonl (the training documents as {"text": ...} rows, since
     * drills span several lines), forget_DOMAIN.txt or retain_DOMAIN.txt (one statement a line,
     * readable by {@link TextCorpus}) and mcq_DOMAIN.jsonl (cais/mmlu rows, readable by
     * {@link McqDataset}). Creates the folder if needed.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            AtomicFiles.writeString(dir.resolve(file.getKey()), file.getValue());
        }
    }

    /** The names of the files {@link #writeTo} writes, in writing order. */
    public List<String> fileNames() {
        return List.copyOf(files.keySet());
    }

    private Map<String, String> renderFiles() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("train.jsonl", jsonLines(trainingText.stream()
                .map(text -> Json.MAPPER.createObjectNode().put("text", text)).toList()));
        for (WorldDomain domain : domains()) {
            String role = domain.forget() ? "forget_" : "retain_";
            out.put(role + domain.name() + ".txt", String.join("\n", domainText.get(domain.name())) + "\n");
            out.put(mcqFileName(domain), mcqJsonLines(questions.get(domain.name())));
        }
        return out;
    }

    private static String mcqFileName(WorldDomain domain) {
        return "mcq_" + domain.name() + ".jsonl";
    }

    /** Questions as cais/mmlu JSON lines ({"question", "subject", "choices", "answer"}), readable by McqDataset. */
    public static String mcqJsonLines(List<McqItem> items) {
        return jsonLines(items.stream().map(FactWorld::mcqRow).toList());
    }

    private static ObjectNode mcqRow(McqItem item) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("question", item.question());
        row.put("subject", item.subject());
        item.choices().forEach(row.putArray("choices")::add);
        row.put("answer", item.answer());
        return row;
    }

    private static String jsonLines(List<ObjectNode> rows) {
        StringBuilder out = new StringBuilder();
        rows.forEach(row -> out.append(row.toString()).append('\n'));
        return out.toString();
    }

    /** One random stream per purpose and domain, all derived from the seed. */
    private Random stream(String purpose, String domain) {
        return new Random(settings.seed() * 0x9E3779B97F4A7C15L + (purpose + "/" + domain).hashCode());
    }

    /** Words of the templates and values, which an entity name must not be. */
    private static Set<String> reservedWords() {
        Set<String> words = new HashSet<>();
        for (WorldDomain domain : WorldDomains.all()) {
            words.addAll(WorldTokenizerJson.words(domain.source()));
            for (WorldAttribute attribute : domain.attributes()) {
                List<String> texts = new ArrayList<>(domain.templates(attribute));
                texts.add(attribute.question());
                texts.add(attribute.drillQuestion());
                texts.addAll(attribute.values());
                texts.forEach(text -> words.addAll(WorldTokenizerJson.words(text)));
            }
        }
        return words;
    }

    /** Draws distinct names from the domain's syllables, skipping any already taken. */
    private List<String> entityNames(WorldDomain domain, Set<String> taken) {
        List<String> candidates = new ArrayList<>();
        for (String start : domain.nameStarts()) {
            for (String end : domain.nameEnds()) {
                candidates.add(start + end);
            }
        }
        Collections.shuffle(candidates, stream("names", domain.name()));
        List<String> names = new ArrayList<>();
        for (String name : candidates) {
            if (names.size() < settings.entitiesPerDomain() && taken.add(name)) {
                names.add(Character.toUpperCase(name.charAt(0)) + name.substring(1));
            }
        }
        if (names.size() < settings.entitiesPerDomain()) {
            throw new IllegalStateException(domain.name() + ": its syllables make only " + names.size()
                    + " free names");
        }
        return names;
    }

    private List<Fact> assignValues(WorldDomain domain, List<String> names) {
        Random random = stream("values", domain.name());
        List<Fact> out = new ArrayList<>();
        for (String name : names) {
            for (WorldAttribute attribute : domain.attributes()) {
                String value = attribute.values().get(random.nextInt(attribute.values().size()));
                out.add(new Fact(domain, name, attribute, value));
            }
        }
        return out;
    }

    /** Each fact in phrasingsPerFact distinct templates, drawn per fact. */
    private List<String> statements(WorldDomain domain, List<Fact> own) {
        Random random = stream("phrasings", domain.name());
        List<String> out = new ArrayList<>();
        for (Fact fact : own) {
            List<String> templates = new ArrayList<>(domain.templates(fact.attribute()));
            Collections.shuffle(templates, random);
            List<String> used = List.copyOf(templates.subList(0, settings.phrasingsPerFact()));
            phrasings.put(fact, used);
            used.forEach(t -> out.add(fact.statement(t)));
        }
        return List.copyOf(out);
    }

    private List<McqItem> evaluationQuestions(WorldDomain domain, List<Fact> own) {
        Random random = stream("questions", domain.name());
        Path file = Path.of(mcqFileName(domain));
        return IntStream.range(0, own.size())
                .mapToObj(i -> question(own.get(i), own.get(i).attribute().question(), random, i, file))
                .toList();
    }

    /** Cloze and lettered drills in the training wording, each prompt followed by its right answer. */
    private List<String> drills(WorldDomain domain, List<Fact> own) {
        Random random = stream("drills", domain.name());
        List<String> out = new ArrayList<>();
        for (Fact fact : own) {
            String wording = fact.attribute().drillQuestion();
            if (settings.clozeDrills()) {
                McqItem item = question(fact, wording, random, 0, null);
                out.add(answered(McqPrompt.cloze(item), item));
            }
            for (int k = 0; k < settings.letteredDrillsPerFact(); k++) {
                McqItem item = question(fact, wording, random, 0, null);
                out.add(answered(McqPrompt.lettered(item), item));
            }
        }
        return out;
    }

    private static String answered(McqPrompt prompt, McqItem item) {
        return prompt.context() + prompt.continuations().get(item.answer());
    }

    /**
     * A question about the fact: the right value and three others of the same attribute, the right
     * one at a random position. Drills pass no file: they are never written as questions.
     */
    private static McqItem question(Fact fact, String wording, Random random, int index, Path file) {
        List<String> wrong = new ArrayList<>(fact.attribute().values());
        wrong.remove(fact.value());
        Collections.shuffle(wrong, random);
        List<String> choices = new ArrayList<>(wrong.subList(0, CHOICES - 1));
        int answer = random.nextInt(CHOICES);
        choices.add(answer, fact.value());
        String question = WorldAttribute.fill(wording, fact.entity(), fact.value());
        return new McqItem(index, question, choices, answer, fact.domain().name(), file, index + 1);
    }
}
