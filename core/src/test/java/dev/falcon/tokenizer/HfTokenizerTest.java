package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two hand-written tokenizer.json files (src/test/resources/tokenizers): ids are derived by hand
 * from their merges, independently of the Rust library under test.
 */
class HfTokenizerTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(HfTokenizerTest.class.getResource("/tokenizers/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Concatenated decodeNext output over ids[1..], each token with its predecessor as context. */
    static String streamPairwise(Tokenizer tok, int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < ids.length; i++) {
            out.append(tok.decodeNext(ids[i - 1], ids[i]));
        }
        return out.toString();
    }

    static String stream(Tokenizer tok, int[] ids) {
        DecodeStream stream = new DecodeStream(tok, ids[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < ids.length; i++) {
            out.append(stream.next(ids[i]));
        }
        return out.toString();
    }

    /*
     * bytelevel: GPT-2/Llama-3 style. Vocab: H0 e1 l2 o3 Ġ4 w5 r6 d7 Ã8 ©9 !10 ll11 llo12 Ġw13 or14
     * Ġwor15 He16 Hello17; added <|begin_of_text|>18 <|end_of_text|>19. Merges by rank: l+l, ll+o,
     * Ġ+w, o+r, Ġw+or, H+e, He+llo. The post-processor would prepend 18: encode must not let it.
     */
    @Test
    void byteLevelBpeEncodesAsDerivedByHand() {
        try (HfTokenizer tok = HfTokenizer.load(resource("bytelevel"))) {
            // "Hello world" pre-tokenizes to "Hello", "Ġworld". Hello: l+l, ll+o, H+e, He+llo -> [Hello].
            // Ġworld: Ġ+w, o+r, Ġw+or -> [Ġwor, l, d]; there is no l+d merge.
            assertArrayEquals(new int[] {17, 15, 2, 7}, tok.encode("Hello world", false, false));
            // "world": o+r only -> [w, or, l, d].
            assertArrayEquals(new int[] {5, 14, 2, 7}, tok.encode("world", false, false));
            // " é" is bytes 20 C3 A9 -> chars Ġ Ã © with no merge: é falls apart into two byte tokens.
            assertArrayEquals(new int[] {18, 17, 4, 8, 9, 10, 19}, tok.encode("Hello é!", true, true));
            assertEquals(18, tok.bosId());
            assertEquals(19, tok.eosId(), "eos_token given as {\"content\": ...}");
            assertEquals(20, tok.vocabSize());
            assertTrue(tok.addBosByDefault(), "no add_bos_token flag, but a BOS token exists");
        }
    }

    @Test
    void byteLevelBpeDecodes() {
        try (HfTokenizer tok = HfTokenizer.load(resource("bytelevel"))) {
            for (String text : new String[] {"Hello world", "Hello é!", "world"}) {
                int[] ids = tok.encode(text, true, true);
                assertEquals(text, tok.decode(ids));
                assertEquals(text, stream(tok, ids));
            }
            int[] hello = tok.encode("Hello world", true, false);
            assertEquals("Hello world", streamPairwise(tok, hello));
            assertEquals(" wor", tok.decodeNext(17, 15), "Ġ is a space");
            assertEquals("", tok.decodeNext(15, 19), "EOS prints nothing");
        }
    }

    /*
     * metaspace: Llama-2 style. Vocab: <unk>0 <s>1 </s>2 <0x0A>3 <0xA9>4 <0xC3>5 ▁6 H7 e8 l9 o10 w11
     * r12 d13 ll14 ▁H15 llo16 ▁He17 ▁Hello18 or19 ▁w20 ▁wor21. Merges by rank: l+l, ▁+H, ll+o,
     * ▁H+e, ▁He+llo, o+r, ▁+w, ▁w+or. The normalizer prepends ▁ and turns spaces into ▁; there is
     * no pre-tokenizer, so the whole text is one word.
     */
    @Test
    void metaspaceByteFallbackEncodesAsDerivedByHand() {
        try (HfTokenizer tok = HfTokenizer.load(resource("metaspace"))) {
            // ▁Hello▁world: l+l, ▁+H, ll+o, ▁H+e, ▁He+llo -> ▁Hello ▁ w o r l d; o+r, ▁+w, ▁w+or -> ▁wor l d.
            assertArrayEquals(new int[] {1, 18, 21, 9, 13}, tok.encode("Hello world", true, false));
            // é is not in the vocab: byte fallback to <0xC3> <0xA9>; the ▁ before it stays alone.
            assertArrayEquals(new int[] {18, 6, 5, 4}, tok.encode("Hello é", false, false));
            // "\n" falls back to <0x0A>; "world" has no ▁ before it: o+r only.
            assertArrayEquals(new int[] {18, 3, 11, 19, 9, 13, 2}, tok.encode("Hello\nworld", false, true));
            // Prepend leaves empty text empty.
            assertArrayEquals(new int[] {1}, tok.encode("", true, false));
            assertEquals(1, tok.bosId());
            assertEquals(2, tok.eosId(), "generation_config's eos_token_id list: the first");
            assertEquals(22, tok.vocabSize());
        }
    }

    @Test
    void metaspaceByteFallbackDecodes() {
        try (HfTokenizer tok = HfTokenizer.load(resource("metaspace"))) {
            for (String text : new String[] {"Hello world", "Hello é", "Hello\nworld", " Hello"}) {
                int[] ids = tok.encode(text, true, true);
                assertEquals(text, tok.decode(ids), text);
                assertEquals(text, stream(tok, ids), text);
            }
            assertEquals("Hello world", streamPairwise(tok, tok.encode("Hello world", true, false)));
            assertEquals("Hello", tok.decodeNext(1, 18), "the Strip decoder drops the space after BOS");
            assertEquals(" wor", tok.decodeNext(18, 21));
        }
    }

    private Path modelFolder(String tokenizerConfig, String generationConfig) throws IOException {
        Files.copy(resource("metaspace/tokenizer.json"), dir.resolve("tokenizer.json"));
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        if (generationConfig != null) {
            Files.writeString(dir.resolve("generation_config.json"), generationConfig);
        }
        return dir;
    }

    @Test
    void generationConfigIdsWinOverTokenizerConfig() throws IOException {
        Path folder = modelFolder("{\"bos_token\": \"<s>\", \"eos_token\": \"<unk>\", \"add_bos_token\": false}",
                "{\"eos_token_id\": [2, 0]}");
        try (HfTokenizer tok = HfTokenizer.load(folder.resolve("tokenizer.json"))) {
            assertEquals(1, tok.bosId(), "only tokenizer_config.json names BOS");
            assertEquals(2, tok.eosId());
            assertFalse(tok.addBosByDefault());
        }
    }

    @Test
    void noSpecialsWithoutConfigs() throws IOException {
        try (HfTokenizer tok = HfTokenizer.load(modelFolder(null, null))) {
            assertEquals(-1, tok.bosId());
            assertEquals(-1, tok.eosId());
            assertFalse(tok.addBosByDefault());
            assertArrayEquals(new int[] {18}, tok.encode("Hello", false, false));
            InputException e = assertThrows(InputException.class, () -> tok.encode("Hello", true, false));
            assertTrue(e.getMessage().contains("no BOS token"), e.getMessage());
        }
    }

    private void assertBad(Path folder, String file, String problem) {
        InputException e = assertThrows(InputException.class, () -> HfTokenizer.load(folder).close());
        assertTrue(e.getMessage().startsWith(folder.resolve(file) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void rejectsBadConfigs() throws IOException {
        modelFolder("{\"bos_token\": \"<nope>\"}", null);
        assertBad(dir, "tokenizer_config.json", "bos_token '<nope>' is not in tokenizer.json");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": ");
        assertBad(dir, "tokenizer_config.json", "invalid JSON");
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": \"one\"}");
        assertBad(dir, "generation_config.json", "not an id of the vocabulary 0..21");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 22}");
        assertBad(dir, "generation_config.json", "not an id of the vocabulary 0..21");
    }

    @Test
    void rejectsBadTokenizerJson() throws IOException {
        assertBad(dir, "tokenizer.json", "no such tokenizer.json");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        assertBad(dir, "tokenizer.json", "invalid JSON");
        Files.writeString(dir.resolve("tokenizer.json"), "[1, 2]");
        assertBad(dir, "tokenizer.json", "expected a JSON object");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertBad(dir, "tokenizer.json", "no model.vocab");
        // Valid JSON with a vocab, but merges of the wrong type: the Rust library refuses it.
        Files.writeString(dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": 7}}");
        assertBad(dir, "tokenizer.json", "the tokenizers library rejects it");
    }

    /**
     * A Strip decoder with stop > 0 is refused at load: the tokenizers library aborts the JVM when it decodes a token
     * shorter than stop (HfTokenizerFuzzTest found it; its input is kept as the fuzz seed
     * strip_stop_longer_than_token.json). The metaspace fixture's own Strip(" ", 1, 0) loads and decodes.
     */
    @Test
    void aStripDecoderWithStopIsRefusedBeforeTheLibraryCanAbort() throws IOException {
        String metaspace = Files.readString(resource("metaspace/tokenizer.json"));
        assertTrue(metaspace.matches("(?s).*\"type\": *\"Strip\".*\"stop\": *0.*"), "the fixture has a Strip decoder");
        Files.writeString(dir.resolve("tokenizer.json"), metaspace.replaceFirst("(\"stop\": *)0", "$110"));
        assertBad(dir, "tokenizer.json", "decoder Strip with stop 10 is not supported");
    }

    private static String seed(String name) throws IOException {
        try {
            return Files.readString(Path.of(HfTokenizerTest.class
                    .getResource("HfTokenizerFuzzTestInputs/loadArbitraryTokenizerJson/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each fuzz seed that aborts the JVM inside the tokenizers library (each a metaspace fixture with one setting
     * changed; the Rust line each reaches is named in LibraryPanicGuard) is refused at load, naming the problem.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "template_single_names_sequence_b.json | template single must hold the sequence A once and no other sequence",
        "template_single_without_sequence_before_another_template.json | not 0 sequence(s)",
        "template_special_token_undefined.json | template single uses special token '<s>', which its special_tokens",
        "precompiled_normalizer_without_charsmap.json | the Precompiled normalizer",
        "fixed_length_zero.json | pre_tokenizer FixedLength with length 0",
        "merge_without_subword_prefix.json | BPE merge \"l l\": its second token does not start with the "
                + "continuing_subword_prefix '##'"})
    void aSettingTheLibraryAbortsOnIsRefusedAtLoad(String seed, String problem) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), seed(seed));
        assertBad(dir, "tokenizer.json", problem);
        assertBad(dir, "tokenizer.json", "the tokenizers library would abort the process on it");
    }

    /** The library picks post-processors and normalizers by their fields when it does not know their type. */
    @Test
    void aSettingTheLibraryAbortsOnIsRefusedUnderAnyTypeName() throws IOException {
        String template = seed("template_single_names_sequence_b.json");
        assertTrue(template.contains("\"TemplateProcessing\""), "the seed names its post-processor");
        Files.writeString(dir.resolve("tokenizer.json"), template.replace("\"TemplateProcessing\"", "\"Tmpl\""));
        assertBad(dir, "tokenizer.json", "template single must hold the sequence A once");
        String charsmap = seed("precompiled_normalizer_without_charsmap.json");
        Files.writeString(dir.resolve("tokenizer.json"), charsmap.replace("\"Precompiled\"", "\"Pre\""));
        assertBad(dir, "tokenizer.json", "the Precompiled normalizer");
    }

    /** The library loads a tokenizer whose unk_token is not in its vocabulary, then fails on text that needs it. */
    @Test
    void aTokenizerTheLibraryCannotEncodeWithNamesItsFile() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, Files.readString(resource("metaspace/tokenizer.json")).replace("\"<unk>\": 0",
                "\"4unk>\": 0"));
        try (HfTokenizer tok = HfTokenizer.load(file)) {
            InputException e = assertThrows(InputException.class, () -> tok.encode("\u00e9t\u00e9", false, false));
            assertTrue(e.getMessage().startsWith(file + ": the tokenizers library cannot encode with it: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Unk token `<unk>` not found in the vocabulary"), e.getMessage());
        }
    }

    /**
     * The tokenizers library ignores an added token's "id" field: text already in the model's vocabulary keeps its
     * model id, new text gets the model's vocabulary size (4 here) or one past the largest added id once that is
     * larger. By hand from that rule: "Q" is 4, "O" 5, "R" 6, so the vocabulary is 0..6 and the configured BOS "O"
     * is 5 (no second BOS before text that starts with it).
     */
    @Test
    void addedTokensTakeTheIdsTheLibraryGivesThem() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"added_tokens": [%s, %s, %s],
                 "model": {"type": "WordLevel", "vocab": {"<unk>": 0, "a": 1, "b": 2, "O": 5}, "unk_token": "<unk>"},
                 "pre_tokenizer": {"type": "Whitespace"}}""".formatted(added(9, "Q", false), added(0, "O", true),
                added(1, "R", false)));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"O\"}");
        try (HfTokenizer tok = HfTokenizer.load(dir)) {
            assertEquals(7, tok.vocabSize());
            assertEquals(5, tok.bosId());
            assertArrayEquals(new int[] {5, 1, 4, 6, 2}, tok.encode("O a Q R b", true, false));
        }
    }

    private static String added(int id, String content, boolean special) {
        return """
                {"id": %d, "content": "%s", "special": %b, "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false}""".formatted(id, content, special);
    }

    @Test
    void closeFreesTheNativeTokenizerOnce() {
        HfTokenizer tok = HfTokenizer.load(resource("metaspace"));
        tok.close();
        tok.close();
        assertThrows(IllegalStateException.class, () -> tok.encode("Hello", false, false));
    }
}
