package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Llama2cTokenizer against ids produced by llama2.c's own run.c encode() with tok512.bin. */
class TokenizerFixtureTest {

    record Case(String text, int[] ids) {}

    private static Llama2cTokenizer tokenizer;
    private static List<Case> cases;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = Llama2cTokenizer.load(tok512(), 512);
        cases = readCases(SharedData.fixtures().resolve("tokenizer/encode.json"));
    }

    static Path tok512() {
        return SharedData.data().resolve("models/stories260K/tok512.bin");
    }

    /** encode.json: [{text, ids}], ids with BOS=1 and no EOS. */
    static List<Case> readCases(Path file) throws IOException {
        List<Case> out = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(file.toFile())) {
            int[] ids = new int[node.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = node.get("ids").get(i).asInt();
            }
            out.add(new Case(node.get("text").asText(), ids));
        }
        return out;
    }

    @Test
    void encodesEveryFixtureTextLikeRunC() {
        assertFalse(cases.isEmpty(), "the fixture holds no texts");
        for (Case c : cases) {
            assertArrayEquals(c.ids(), tokenizer.encode(c.text(), true, false), c.text());
        }
    }

    @Test
    void decodeInvertsEncode() {
        // run.c strips the dummy-prefix space from the first piece after BOS, so text comes back unchanged.
        for (Case c : cases) {
            assertEquals(c.text(), tokenizer.decode(c.ids()), c.text());
        }
    }

    @Test
    void streamedDecodeEqualsWholeDecode() {
        // DecodeStream prints token by token what decode gives for the whole sequence.
        List<Case> multiToken = cases.stream().filter(c -> c.ids().length > 1).toList();
        assertFalse(multiToken.isEmpty(), "the fixture holds no text of more than one token");
        for (Case c : multiToken) {
            assertEquals(c.text(), HfTokenizerTest.stream(tokenizer, c.ids()), c.text());
        }
    }

    @Test
    void eosIsAppendedAndDroppedByDecode() {
        int[] ids = tokenizer.encode("Hello world", true, true);
        assertEquals(Llama2cTokenizer.EOS, ids[ids.length - 1]);
        assertEquals("Hello world", tokenizer.decode(ids));
    }

    @Test
    void inferredVocabularySizeIsTheWholeFile() {
        // tok512.bin holds exactly the 512 tokens of stories260K.
        assertEquals(512, Llama2cTokenizer.load(tok512()).vocabSize());
    }
}
