package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real tokenizers (data/tokenizers/&lt;model&gt;) against ids that independent JavaScript implementations give
 * (data/tokenizers/vectors/*.json, each naming its source).
 *
 * <p>The vectors' special tokens follow their packages, not always the model's own files. The project follows the
 * model's tokenizer_config.json and tokenizer.json, as transformers does, so where a case's BOS/EOS (or its
 * package's default) differs, the case's ids are compared after swapping in the model's own choice; the tokens
 * between must match exactly. {@link Tokenizer#decode} drops special tokens, so a decode case's expected text
 * loses the text of the special tokens among its ids.
 */
class RealTokenizerVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FLAG = Pattern.compile("\\b(bos|eos)=(true|false)\\b");

    /** What one vectors file gave: its case count, cases matching the vector unchanged, cases adjusted. */
    private record Tally(int cases, int exact, int adjusted, List<String> failures) {
    }

    @TestFactory
    Stream<DynamicTest> everyCaseOfEveryVectorsFile() throws IOException {
        Path root = SharedData.data("tokenizers");
        List<Path> files;
        try (Stream<Path> list = Files.list(root.resolve("vectors"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no vectors under " + root.resolve("vectors"));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> check(f, tokenizerFolder(root, f))));
    }

    /**
     * The folder a vectors file is for: the one whose model family (its name up to the first '_' or '-', such as
     * llama3 or qwen2) the file name contains. Exactly one must match.
     */
    private static Path tokenizerFolder(Path root, Path vectors) throws IOException {
        String name = vectors.getFileName().toString();
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> matches = dirs.filter(d -> Files.isRegularFile(d.resolve("tokenizer.json")))
                    .filter(d -> name.contains(d.getFileName().toString().split("[_-]")[0])).toList();
            assertEquals(1, matches.size(), name + ": tokenizer folders matching it: " + matches);
            return matches.get(0);
        }
    }

    private static void check(Path vectors, Path folder) throws IOException {
        JsonNode file = JSON.readTree(vectors.toFile());
        ModelSpecials model = ModelSpecials.read(folder);
        Tally tally = new Tally(0, 0, 0, new ArrayList<>());
        try (HfTokenizer tok = HfTokenizer.load(folder)) {
            for (JsonNode c : file.path("cases")) {
                tally = run(tok, model, c, tally);
            }
        }
        System.out.printf("%s (%s): %d cases, %d match the vector exactly, %d compared after the model's own "
                + "special-token handling; %d fail%n", vectors.getFileName(), folder.getFileName(), tally.cases(),
                tally.exact(), tally.adjusted(), tally.failures().size());
        assertTrue(tally.cases() > 0, vectors + " has no cases");
        assertTrue(tally.failures().isEmpty(), String.join("\n", tally.failures()));
    }

    private static Tally run(HfTokenizer tok, ModelSpecials model, JsonNode c, Tally t) {
        int[] ids = JSON.convertValue(c.path("ids"), int[].class);
        String text = c.path("text").asText();
        String kind = c.path("kind").asText();
        Object actual;
        Object expected;
        Object vector;
        switch (kind) {
            case "encode" -> {
                Flags asked = Flags.of(c.path("options"));
                Flags ours = asked.packageDefault() ? model.defaults() : asked;
                int[] body = model.body(ids, asked);
                vector = Arrays.toString(ids);
                expected = Arrays.toString(model.wrap(body, ours));
                actual = Arrays.toString(tok.encode(text, ours.bos(), ours.eos()));
            }
            case "decode" -> {
                vector = text;
                expected = model.withoutSpecials(text, ids);
                actual = tok.decode(ids);
            }
            default -> throw new AssertionError("unknown case kind '" + kind + "'");
        }
        boolean ok = expected.equals(actual);
        if (!ok) {
            t.failures().add(kind + " " + JSON.valueToTree(text) + ": expected " + expected + ", got " + actual);
        }
        return new Tally(t.cases() + 1, t.exact() + (vector.equals(actual) ? 1 : 0),
                t.adjusted() + (vector.equals(expected) ? 0 : 1), t.failures());
    }

    /**
     * A case's special-token options: {"bos": b, "eos": b}, or text naming bos=/eos= (unnamed = false), where
     * "default(...)" means the package's default, whose flags it gives.
     */
    private record Flags(boolean bos, boolean eos, boolean packageDefault) {

        static Flags of(JsonNode options) {
            if (options.isObject()) {
                return new Flags(options.path("bos").asBoolean(), options.path("eos").asBoolean(), false);
            }
            Map<String, Boolean> named = new HashMap<>();
            Matcher m = FLAG.matcher(options.asText());
            while (m.find()) {
                named.put(m.group(1), Boolean.parseBoolean(m.group(2)));
            }
            return new Flags(named.getOrDefault("bos", false), named.getOrDefault("eos", false),
                    options.asText().startsWith("default"));
        }
    }

    /**
     * The model's own special tokens, read here from its files independently of {@link HfSpecialTokens}: BOS/EOS
     * are tokenizer_config.json's bos_token/eos_token; what encoding adds by default is what tokenizer.json's
     * post-processor template puts around the text (transformers' add_special_tokens=True).
     */
    private record ModelSpecials(int bos, int eos, Flags defaults, Map<Integer, String> special) {

        static ModelSpecials read(Path folder) throws IOException {
            JsonNode tokenizer = JSON.readTree(folder.resolve("tokenizer.json").toFile());
            JsonNode config = JSON.readTree(folder.resolve("tokenizer_config.json").toFile());
            Map<Integer, String> special = new HashMap<>();
            Map<String, Integer> ids = new HashMap<>();
            for (JsonNode added : tokenizer.path("added_tokens")) {
                ids.put(added.path("content").asText(), added.path("id").asInt());
                if (added.path("special").asBoolean()) {
                    special.put(added.path("id").asInt(), added.path("content").asText());
                }
            }
            return new ModelSpecials(id(config, "bos_token", ids), id(config, "eos_token", ids),
                    templateFlags(tokenizer.path("post_processor")), special);
        }

        /** The id of a string or {"content": ...} token; -1 when null. */
        private static int id(JsonNode config, String field, Map<String, Integer> ids) {
            JsonNode token = config.path(field).isObject() ? config.path(field).path("content") : config.path(field);
            return token.isTextual() ? ids.get(token.asText()) : -1;
        }

        /** Whether a TemplateProcessing (alone or in a Sequence) puts a special token before/after the text. */
        private static Flags templateFlags(JsonNode processor) {
            for (JsonNode p : processor.path("processors")) {
                Flags f = templateFlags(p);
                if (f.bos() || f.eos()) {
                    return f;
                }
            }
            JsonNode single = processor.path("single");
            boolean before = single.size() > 0 && single.get(0).has("SpecialToken");
            boolean after = single.size() > 1 && single.get(single.size() - 1).has("SpecialToken");
            return new Flags(before, after, false);
        }

        /** The ids less the vector's BOS/EOS, which must be special tokens of the model. */
        int[] body(int[] ids, Flags flags) {
            int from = flags.bos() ? 1 : 0;
            int to = ids.length - (flags.eos() ? 1 : 0);
            assertTrue(from <= to, "too few ids for the case's BOS/EOS: " + Arrays.toString(ids));
            IntStream.concat(IntStream.range(0, from), IntStream.range(to, ids.length)).forEach(i -> assertTrue(
                    special.containsKey(ids[i]), "id " + ids[i] + " in place of BOS/EOS is no special token"));
            return Arrays.copyOfRange(ids, from, to);
        }

        int[] wrap(int[] body, Flags flags) {
            IntStream ids = Arrays.stream(body);
            ids = flags.bos() ? IntStream.concat(IntStream.of(bos), ids) : ids;
            return (flags.eos() ? IntStream.concat(ids, IntStream.of(eos)) : ids).toArray();
        }

        /** The text less the text of the special tokens among ids, each removed once, in order. */
        String withoutSpecials(String text, int[] ids) {
            String out = text;
            int from = 0;
            for (int id : ids) {
                String content = special.get(id);
                if (content != null) {
                    int at = out.indexOf(content, from);
                    assertTrue(at >= 0, "special token " + content + " not in the decoded text " + text);
                    out = out.substring(0, at) + out.substring(at + content.length());
                    from = at;
                }
            }
            return out;
        }
    }
}
