package dev.falcon.demo.world;

import dev.falcon.data.McqPrompt;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A word-level Hugging Face tokenizer for a {@link FactWorld}: one token per word or punctuation
 * mark of everything the world writes and asks, so a small model spends no capacity on spelling
 * and every entity and value is a single token.
 *
 * <p>Ids: {@code <pad>} 0, {@code <s>} (BOS) 1, {@code </s>} (EOS) 2, {@code <unk>} 3, newline 4,
 * then the words in sorted order. Text is lower-cased, then split as BERT splits it: on whitespace,
 * with every punctuation mark a token of its own. The newline is an added token, matched before
 * that split (which would drop it as whitespace), because lm-eval prompts are laid out in lines.
 * The decoder joins tokens with spaces, without one before {@code . ? ! , : )} or a newline; the
 * word after a newline keeps its space ("zorex?\n answer: amber"), as a decoder step sees one
 * token at a time. Decoding gives back the words lower-cased, which is all generation needs.
 */
public final class WorldTokenizerJson {

    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int UNK_ID = 3;
    public static final int NEWLINE_ID = 4;

    private static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>");
    private static final String NEWLINE = "\n";

    private WorldTokenizerJson() {
    }

    /** Writes {@code tokenizerJson} and tokenizer_config.json beside it, each atomically. */
    public static void write(FactWorld world, Path tokenizerJson) throws IOException {
        writeVocabulary(vocabulary(world), tokenizerJson);
    }

    /**
     * The same tokenizer for any set of words (lower-case letters and digits, or single punctuation marks,
     * as the pre-tokenizer splits text): ids 0-4 as above, then the words sorted.
     */
    public static void write(Collection<String> words, Path tokenizerJson) throws IOException {
        writeVocabulary(vocabulary(new TreeSet<>(words)), tokenizerJson);
    }

    private static void writeVocabulary(List<String> vocabulary, Path tokenizerJson) throws IOException {
        Path config = tokenizerJson.toAbsolutePath().resolveSibling("tokenizer_config.json");
        AtomicFiles.writeString(tokenizerJson, Json.pretty(tokenizer(vocabulary)) + "\n");
        AtomicFiles.writeString(config, Json.pretty(config()) + "\n");
    }

    /** Every token in id order: the specials, the newline, then each word of the world sorted. */
    public static List<String> vocabulary(FactWorld world) {
        TreeSet<String> words = new TreeSet<>();
        world.trainingText().forEach(text -> words.addAll(words(text)));
        world.domains().forEach(domain -> world.domainText(domain.name()).forEach(text -> words.addAll(words(text))));
        for (McqPrompt prompt : world.evaluationPrompts()) {
            words.addAll(words(prompt.context()));
            prompt.continuations().forEach(continuation -> words.addAll(words(continuation)));
        }
        return vocabulary(words);
    }

    /** The specials, the newline, then {@code words} in their order (without a newline or special of their own). */
    private static List<String> vocabulary(TreeSet<String> words) {
        words.remove(NEWLINE);
        words.removeAll(SPECIALS);
        List<String> vocabulary = new ArrayList<>(SPECIALS);
        vocabulary.add(NEWLINE);
        vocabulary.addAll(words);
        return vocabulary;
    }

    /**
     * The tokens tokenizer.json makes of a text, for the world's ASCII text: lower-cased words,
     * single punctuation marks and newlines. Non-ASCII text is refused, because Rust's and Java's
     * Unicode tables for whitespace and punctuation need not agree.
     */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c >= 127 || (c < ' ' && c != '\n' && c != '\t' && c != '\r')) {
                throw new IllegalArgumentException("world text must be printable ASCII: " + text);
            }
            if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
                continue;
            }
            flush(word, out);
            if (c == '\n' || !Character.isWhitespace(c)) {
                out.add(String.valueOf(c));
            }
        }
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    private static ObjectNode tokenizer(List<String> vocabulary) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id <= NEWLINE_ID; id++) {
            added.add(addedToken(id, vocabulary.get(id), id != NEWLINE_ID));
        }
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.set("post_processor", bosTemplate());
        root.set("decoder", decoder());
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.put(vocabulary.get(id), id);
        }
        model.put("unk_token", SPECIALS.get(UNK_ID));
        return root;
    }

    private static ObjectNode addedToken(int id, String content, boolean special) {
        ObjectNode token = Json.MAPPER.createObjectNode();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", special);
        return token;
    }

    /**
     * Llama's convention for tools that let the tokenizer add specials (transformers): BOS before
     * each sequence. {@link dev.falcon.tokenizer.HfTokenizer} adds specials itself and ignores this.
     */
    private static ObjectNode bosTemplate() {
        ObjectNode processor = Json.MAPPER.createObjectNode();
        processor.put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        single.add(piece("SpecialToken", "<s>", 0));
        single.add(piece("Sequence", "A", 0));
        ArrayNode pair = processor.putArray("pair");
        pair.add(piece("SpecialToken", "<s>", 0));
        pair.add(piece("Sequence", "A", 0));
        pair.add(piece("SpecialToken", "<s>", 1));
        pair.add(piece("Sequence", "B", 1));
        ObjectNode bos = processor.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(BOS_ID);
        bos.putArray("tokens").add("<s>");
        return processor;
    }

    private static ObjectNode piece(String kind, String id, int typeId) {
        ObjectNode piece = Json.MAPPER.createObjectNode();
        piece.putObject(kind).put("id", id).put("type_id", typeId);
        return piece;
    }

    /**
     * WordPiece without "##" continuations prefixes every token but the first with a space, and its
     * cleanup removes the space before . ? ! and ,; the replacements do the same for : and ) and
     * for the newline.
     */
    private static ObjectNode decoder() {
        ObjectNode decoder = Json.MAPPER.createObjectNode();
        decoder.put("type", "Sequence");
        ArrayNode steps = decoder.putArray("decoders");
        steps.addObject().put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        for (String mark : List.of(":", ")", NEWLINE)) {
            ObjectNode replace = steps.addObject().put("type", "Replace");
            replace.putObject("pattern").put("String", " " + mark);
            replace.put("content", mark);
        }
        return decoder;
    }

    private static ObjectNode config() {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", SPECIALS.get(BOS_ID));
        config.put("eos_token", SPECIALS.get(EOS_ID));
        config.put("unk_token", SPECIALS.get(UNK_ID));
        config.put("pad_token", SPECIALS.get(PAD_ID));
        config.put("add_bos_token", true);
        config.put("add_eos_token", false);
        config.put("clean_up_tokenization_spaces", false);
        return config;
    }
}
