package dev.falcon.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses the tokenizer.json settings on which the tokenizers library (0.21.4, inside DJL) panics instead of
 * returning an error: a Rust panic aborts the whole JVM, so such a file must never reach it. Each rule names the
 * library line it keeps away (found by HfTokenizerFuzzTest or by reading the library).
 *
 * <p>The library matches decoders, normalizers, pre-tokenizers and post-processors by their fields when their
 * "type" is not one it knows, so every rule looks at every node of its section that has the field in question,
 * whatever its "type" says. Json.MAPPER refuses duplicate keys, so the node seen here is the one the library sees.
 */
final class LibraryPanicGuard {

    private LibraryPanicGuard() {}

    static void check(Path file, JsonNode root) {
        stripStopIsZero(file, root);
        noPrecompiledNormalizer(file, root);
        fixedLengthIsPositive(file, root);
        singleTemplateHoldsSequenceAOnce(file, root);
        templateSpecialTokensAreDefined(file, root);
        mergesCarryTheSubwordPrefix(file, root);
    }

    /** The nodes of a top-level section (decoder, normalizer, ...) that have the field, at any depth. */
    private static List<JsonNode> nodesWith(JsonNode root, String section, String field) {
        return root.path(section).findParents(field);
    }

    private static InputException refused(Path file, String problem) {
        return new InputException(file, problem + " (the tokenizers library would abort the process on it)");
    }

    /**
     * decoders/strip.rs:46-47: a Strip decoder cuts up to stop characters off each token's end without checking
     * the token's length, so a token shorter than stop underflows the index. Real tokenizers use stop 0
     * (SentencePiece's Strip(" ", 1, 0)). The fuzzer found it twice: as "Strip" and under the name "StriStripp".
     */
    private static void stripStopIsZero(Path file, JsonNode root) {
        for (JsonNode d : nodesWith(root, "decoder", "stop")) {
            if (d.path("stop").asLong(0) != 0) {
                throw refused(file, "decoder Strip with stop " + d.path("stop").asText() + " is not supported; use stop 0");
            }
        }
    }

    /**
     * normalizers/mod.rs:143 unwraps the parse of a normalizer typed "Precompiled" (a missing or malformed
     * precompiled_charsmap panics at load), and a charsmap that does parse is walked by data-driven offsets that
     * nothing checks. No supported model (Llama, Mistral, Qwen) uses this SentencePiece normalizer.
     */
    private static void noPrecompiledNormalizer(Path file, JsonNode root) {
        boolean typed = nodesWith(root, "normalizer", "type").stream()
                .anyMatch(n -> n.path("type").asText().equals("Precompiled"));
        if (typed || !nodesWith(root, "normalizer", "precompiled_charsmap").isEmpty()) {
            throw refused(file, "the Precompiled normalizer (a SentencePiece charsmap) is not supported");
        }
    }

    /** pre_tokenizers/fixed_length.rs:34 splits the text into chunks of length characters; a length of 0 panics. */
    private static void fixedLengthIsPositive(Path file, JsonNode root) {
        for (JsonNode p : nodesWith(root, "pre_tokenizer", "length")) {
            if (p.path("length").asLong(-1) == 0) {
                throw refused(file, "pre_tokenizer FixedLength with length 0");
            }
        }
    }

    /**
     * processors/template.rs:556 takes the encoding of a template's sequence by index (A the first, B the second),
     * and one text is one encoding, so a single template naming B indexes past it; a single template with no or
     * several sequences hands the next processor of a Sequence zero or several encodings, and template.rs:681 panics
     * (todo!) on any count but one or two. Post-processors are matched by their fields: every "single" is checked.
     */
    private static void singleTemplateHoldsSequenceAOnce(Path file, JsonNode root) {
        for (JsonNode t : nodesWith(root, "post_processor", "single")) {
            List<JsonNode> sequences = pieces(t.path("single"), "Sequence");
            if (t.path("single").isArray()
                    && (sequences.size() != 1 || !field(sequences.get(0), "id", 0).asText().equals("A"))) {
                throw refused(file, "post_processor template single must hold the sequence A once and no other "
                        + "sequence, not " + sequences.size() + " sequence(s) " + sequences);
            }
        }
    }

    /**
     * processors/template.rs:563 looks each special token of a template up in special_tokens unchecked whenever
     * the library adds special tokens. {@link HfTokenizer} adds them itself and never asks the library to, but a
     * file that crashes the library in its default use is refused all the same.
     */
    private static void templateSpecialTokensAreDefined(Path file, JsonNode root) {
        for (JsonNode t : nodesWith(root, "post_processor", "special_tokens")) {
            for (String template : List.of("single", "pair")) {
                for (JsonNode piece : pieces(t.path(template), "SpecialToken")) {
                    String id = field(piece, "id", 0).asText();
                    if (!t.path("special_tokens").has(id)) {
                        throw refused(file, "post_processor template " + template + " uses special token '" + id
                                + "', which its special_tokens does not define");
                    }
                }
            }
        }
    }

    /**
     * models/bpe/model.rs:186 cuts continuing_subword_prefix off the second token of every merge at load without
     * checking that it starts with it; a shorter token, or one where the cut falls inside a character, panics.
     */
    private static void mergesCarryTheSubwordPrefix(Path file, JsonNode root) {
        JsonNode model = root.path("model");
        if (!model.path("continuing_subword_prefix").isTextual()) {
            return;
        }
        String prefix = model.path("continuing_subword_prefix").asText();
        for (JsonNode merge : model.path("merges")) {
            String second = secondOfMerge(merge);
            if (second != null && !second.startsWith(prefix)) {
                throw refused(file, "BPE merge " + merge + ": its second token does not start with the "
                        + "continuing_subword_prefix '" + prefix + "'");
            }
        }
    }

    /** A merge is ["a", "b"] or the legacy "a b" (the library skips "#version" lines and refuses other shapes). */
    private static String secondOfMerge(JsonNode merge) {
        if (merge.isArray()) {
            return merge.path(1).asText();
        }
        String[] parts = merge.asText().split(" ", -1);
        return parts.length == 2 && !merge.asText().startsWith("#version") ? parts[1] : null;
    }

    /** The bodies of a template's pieces of one kind: a piece is {"Sequence": {...}} or {"SpecialToken": {...}}. */
    private static List<JsonNode> pieces(JsonNode template, String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode piece : template) {
            if (piece.has(kind)) {
                found.add(piece.get(kind));
            }
        }
        return found;
    }

    /** A struct field as the library reads it: by name from an object, or by position from an array. */
    private static JsonNode field(JsonNode struct, String name, int position) {
        return struct.isArray() ? struct.path(position) : struct.path(name);
    }
}
