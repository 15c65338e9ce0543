package dev.falcon.demo.world;

import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.tokenizer.HfTokenizer;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written tokenizer run by the Rust tokenizers library (through HfTokenizer), checked against
 * the world's own text: the library, not the Java vocabulary builder, decides what is unknown.
 */
class WorldTokenizerJsonTest {

    /** Words, single punctuation marks and newlines: what "the same words" means after decoding. */
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+|[^a-z0-9\\s]|\n");

    @TempDir
    static Path dir;

    private static FactWorld world;
    private static HfTokenizer tokenizer;

    @BeforeAll
    static void writeAndLoad() throws IOException {
        world = FactWorld.generate(WorldSettings.defaults());
        WorldTokenizerJson.write(world, dir.resolve("tokenizer.json"));
        tokenizer = HfTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static int[] encode(String text) {
        return tokenizer.encode(text, false, false);
    }

    private static void assertKnownAndRoundTrips(String text) {
        int[] ids = encode(text);
        assertFalse(Arrays.stream(ids).anyMatch(id -> id == WorldTokenizerJson.UNK_ID), () -> "<unk> in: " + text);
        assertEquals(words(text), words(tokenizer.decode(ids)), text);
        assertEquals(words(text).size(), ids.length, () -> "one token per word: " + text);
    }

    @Test
    void specialsAndSizeComeFromTheWrittenFiles() {
        List<String> vocabulary = WorldTokenizerJson.vocabulary(world);
        assertEquals(vocabulary.size(), tokenizer.vocabSize());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "\n"), vocabulary.subList(0, 5));
        assertEquals(WorldTokenizerJson.BOS_ID, tokenizer.bosId());
        assertEquals(WorldTokenizerJson.EOS_ID, tokenizer.eosId());
        assertTrue(tokenizer.addBosByDefault());
        int[] ids = tokenizer.encode("Answer:", true, true);
        assertEquals(List.of(1, vocabulary.indexOf("answer"), vocabulary.indexOf(":"), 2),
                Arrays.stream(ids).boxed().toList(), "BOS/EOS once each: the post-processor is not applied");
    }

    @Test
    void decodesAsDerivedFromTheDecoderRules() {
        String entity = world.entities("alchemy").get(0);
        String lower = entity.toLowerCase(Locale.ROOT);
        // WordPiece puts a space before every token but the first; cleanup glues "?" and ".", the
        // Replace steps glue ":", ")" and the newline, but the word after a newline keeps its space.
        assertEquals("question: what colour is " + lower + "?\n answer: amber.",
                tokenizer.decode(encode("Question: What colour is " + entity + "?\nAnswer: amber.")));
        assertEquals("about ( with answers) towns.\n\n a. amber",
                tokenizer.decode(encode("about (with answers) towns.\n\nA. amber")));
        int[] newlines = encode("\n\n");
        assertArrayEquals(new int[] {WorldTokenizerJson.NEWLINE_ID, WorldTokenizerJson.NEWLINE_ID}, newlines);
        assertArrayEquals(new int[] {WorldTokenizerJson.UNK_ID}, encode("qwertyuiop"), "a word the world never uses");
        assertEquals("", tokenizer.decode(encode("qwertyuiop")), "<unk> is special: decoding drops it");
    }

    @Test
    void everyTrainingDocumentIsKnownAndRoundTrips() {
        world.trainingText().forEach(WorldTokenizerJsonTest::assertKnownAndRoundTrips);
    }

    @Test
    void everyEvaluationPromptAndContinuationIsKnownAndRoundTrips() {
        for (WorldDomain domain : world.domains()) {
            for (McqItem item : world.questions(domain.name())) {
                for (McqPrompt prompt : List.of(McqPrompt.lettered(item), McqPrompt.cloze(item))) {
                    assertKnownAndRoundTrips(prompt.context());
                    prompt.continuations().forEach(c -> assertKnownAndRoundTrips(prompt.context() + c));
                }
            }
        }
    }

    /**
     * lm-eval scores the tokens of encode(context + continuation) after those of encode(context):
     * the context's tokens must be a prefix, and each continuation one token (a letter or a
     * one-word value), so every choice is scored by exactly one log-probability.
     */
    @Test
    void continuationsAreOneTokenAfterAnUnchangedContext() {
        for (WorldDomain domain : world.domains()) {
            for (McqItem item : world.questions(domain.name())) {
                for (McqPrompt prompt : List.of(McqPrompt.lettered(item), McqPrompt.cloze(item))) {
                    int[] context = encode(prompt.context());
                    for (String continuation : prompt.continuations()) {
                        int[] whole = encode(prompt.context() + continuation);
                        assertEquals(context.length + 1, whole.length, continuation);
                        assertArrayEquals(context, Arrays.copyOf(whole, context.length), continuation);
                    }
                }
            }
        }
    }

    @Test
    void lettersAreDistinctTokens() {
        McqPrompt prompt = McqPrompt.lettered(world.questions("towns").get(0));
        List<Integer> letters = prompt.continuations().stream().map(c -> encode(c)[0]).distinct().toList();
        List<String> vocabulary = WorldTokenizerJson.vocabulary(world);
        assertEquals(List.of(vocabulary.indexOf("a"), vocabulary.indexOf("b"), vocabulary.indexOf("c"),
                vocabulary.indexOf("d")), letters);
    }

    @Test
    void loadsThroughTokenizersByFolderAndIsDeterministic(@TempDir Path other) throws IOException {
        WorldTokenizerJson.write(FactWorld.generate(WorldSettings.defaults()), other.resolve("tokenizer.json"));
        for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(name)), Files.readAllBytes(other.resolve(name)), name);
        }
        try (Tokenizer loaded = Tokenizers.load(other)) {
            assertArrayEquals(encode("The colour of"), loaded.encode("The colour of", false, false));
        }
    }
}
