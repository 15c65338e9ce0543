package dev.falcon.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a llama2.c tokenizer as a Hugging Face tokenizer.json that encodes to the same ids.
 *
 * <p>run.c greedily merges the adjacent pair whose concatenation t has the highest score (the
 * leftmost on ties); a BPE tokenizer.json merges the pair of lowest rank (the leftmost on ties). So
 * every split t = a + b with a and b in the vocabulary becomes a merge "a b", ranked by descending
 * score of t. The two orders agree except where ranks must break a tie that scores leave open;
 * the exporter refuses a vocabulary where that can change the result:
 *
 * <ul>
 *   <li>different pieces with equal scores (run.c: leftmost first; BPE: by rank);
 *   <li>a piece t with two splits, pending at two places at once. run.c merges the left one first,
 *       BPE the better-ranked one. Pending pairs of two splits are disjoint unless
 *       t = a + b = b + c (refused), so the order only matters if merging one of them starts a
 *       chain of merges scoring above t (each new token contains t) that reaches the other pair: a
 *       merge (v, a') or (b', v) that outscores t, with v containing t, a' the left part of the
 *       right pair and b' the right part of the left pair (refused).
 * </ul>
 *
 * <p>Spaces stay spaces (no "▁" mapping), so that text containing a real U+2581 is not confused
 * with a space, as it is not in run.c. The dummy prefix is a Prepend(" ") normalizer (which skips
 * empty text, like run.c); the decoder drops it again with Strip. BOS/EOS are not added_tokens:
 * those would be cut out of input text that contains "&lt;s&gt;", which run.c encodes as plain text.
 */
public final class TokenizerJsonExporter {

    private static final String[] SPECIALS = {"<unk>", "<s>", "</s>"};

    private TokenizerJsonExporter() {}

    /** Writes tokenizer.json and tokenizer_config.json (BOS/EOS names, add_bos_token) into {@code folder}. */
    public static void export(Llama2cTokenizer tokenizer, Path folder) {
        ObjectNode config = Json.MAPPER.createObjectNode()
                .put("bos_token", SPECIALS[Llama2cTokenizer.BOS])
                .put("eos_token", SPECIALS[Llama2cTokenizer.EOS])
                .put("unk_token", SPECIALS[0])
                .put("add_bos_token", true)
                .put("add_eos_token", false);
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("tokenizer.json"), Json.pretty(tokenizerJson(tokenizer)));
            Files.writeString(folder.resolve("tokenizer_config.json"), Json.pretty(config));
        } catch (IOException e) {
            throw new InputException(folder, "cannot write tokenizer files: " + e, e);
        }
    }

    static ObjectNode tokenizerJson(Llama2cTokenizer tokenizer) {
        String[] names = names(tokenizer);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putObject("normalizer").put("type", "Prepend").put("prepend", " ");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", SPECIALS[0]);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < names.length; id++) {
            if (vocab.has(names[id])) {
                throw cannot(tokenizer, "token " + id + " repeats piece '" + names[id] + "'");
            }
            vocab.put(names[id], id);
        }
        ArrayNode merges = model.putArray("merges");
        for (int[] merge : merges(tokenizer)) {
            merges.addArray().add(names[merge[0]]).add(names[merge[1]]);
        }
        return root;
    }

    /** Vocabulary strings: specials renamed, byte tokens checked to sit where byte_fallback looks. */
    private static String[] names(Llama2cTokenizer tokenizer) {
        String[] names = new String[tokenizer.vocabSize()];
        for (int id = 0; id < names.length; id++) {
            names[id] = id < SPECIALS.length ? SPECIALS[id] : utf8(tokenizer, id);
        }
        for (int b = 0; b < 256; b++) {
            String expected = String.format("<0x%02X>", b);
            if (!names[b + Llama2cTokenizer.BYTE_OFFSET].equals(expected)) {
                throw cannot(tokenizer, "token " + (b + Llama2cTokenizer.BYTE_OFFSET) + " is not " + expected
                        + ", but run.c falls back to it for byte " + b);
            }
        }
        return names;
    }

    private static String utf8(Llama2cTokenizer tokenizer, int id) {
        byte[] piece = tokenizer.piece(id);
        if (piece.length == 0) {
            throw cannot(tokenizer, "token " + id + " is empty");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(piece)).toString();
        } catch (CharacterCodingException e) {
            throw cannot(tokenizer, "token " + id + " is not valid UTF-8");
        }
    }

    /** Pairs {left id, right id}, best first: descending score of the merged piece, then split position. */
    private static List<int[]> merges(Llama2cTokenizer tokenizer) {
        List<int[]> merges = new ArrayList<>();
        for (int merged = 0; merged < tokenizer.vocabSize(); merged++) {
            byte[] piece = tokenizer.piece(merged);
            for (int split = 1; split < piece.length; split++) {
                int left = tokenizer.id(Arrays.copyOfRange(piece, 0, split));
                int right = tokenizer.id(Arrays.copyOfRange(piece, split, piece.length));
                if (left >= 0 && right >= 0 && tokenizer.score(merged) > Llama2cTokenizer.NO_MERGE_SCORE) {
                    checkExpressible(tokenizer, left, right, merged);
                    merges.add(new int[] {left, right, merged});
                }
            }
        }
        // Stable sort: splits of one piece keep their left-to-right order.
        merges.sort(Comparator.comparingDouble((int[] m) -> -tokenizer.score(m[2])));
        for (int i = 1; i < merges.size(); i++) {
            int previous = merges.get(i - 1)[2];
            int current = merges.get(i)[2];
            if (previous != current && tokenizer.score(previous) == tokenizer.score(current)) {
                throw cannot(tokenizer, "tokens " + previous + " and " + current
                        + " have equal scores; run.c breaks the tie by position, BPE ranks cannot");
            }
        }
        checkSplitOrder(tokenizer, merges);
        return merges;
    }

    /** Refuses pieces whose split ranks could reorder merges with a different outcome (see the class comment). */
    private static void checkSplitOrder(Llama2cTokenizer tokenizer, List<int[]> merges) {
        Map<Integer, List<int[]>> byMerged = new HashMap<>();
        Map<Integer, List<int[]>> byLeft = new HashMap<>();
        Map<Integer, List<int[]>> byRight = new HashMap<>();
        for (int[] m : merges) {
            byMerged.computeIfAbsent(m[2], k -> new ArrayList<>()).add(m);
            byLeft.computeIfAbsent(m[0], k -> new ArrayList<>()).add(m);
            byRight.computeIfAbsent(m[1], k -> new ArrayList<>()).add(m);
        }
        for (List<int[]> splits : byMerged.values()) {
            for (int[] leftPair : splits) {
                for (int[] rightPair : splits) {
                    if (leftPair != rightPair && (leftPair[1] == rightPair[0]
                            || outranksInside(tokenizer, byRight.get(rightPair[0]), 0, leftPair[2])
                            || outranksInside(tokenizer, byLeft.get(leftPair[1]), 1, leftPair[2]))) {
                        throw cannot(tokenizer, "token " + leftPair[2] + " has splits whose BPE rank order can"
                                + " change the result of run.c's leftmost-first merging");
                    }
                }
            }
        }
    }

    /** Whether one of {@code merges} outscores {@code piece} and its part at {@code side} contains that piece. */
    private static boolean outranksInside(Llama2cTokenizer tokenizer, List<int[]> merges, int side, int piece) {
        String inner = new String(tokenizer.piece(piece), StandardCharsets.ISO_8859_1);
        return merges != null && merges.stream().anyMatch(m -> tokenizer.score(m[2]) > tokenizer.score(piece)
                && new String(tokenizer.piece(m[side]), StandardCharsets.ISO_8859_1).contains(inner));
    }

    /**
     * run.c merges with BOS in the list (it is prepended before merging) and can merge into
     * special tokens; a tokenizer.json adds BOS afterwards and names specials differently.
     */
    private static void checkExpressible(Llama2cTokenizer tokenizer, int left, int right, int merged) {
        if (left < SPECIALS.length || right < SPECIALS.length || merged < SPECIALS.length) {
            throw cannot(tokenizer, "token " + left + " + token " + right + " merges into token " + merged
                    + ", which involves a special token");
        }
    }

    private static InputException cannot(Llama2cTokenizer tokenizer, String why) {
        return new InputException(tokenizer.file(), "cannot be expressed as tokenizer.json: " + why);
    }
}
