package dev.falcon.tokenizer;

import dev.falcon.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The llama2.c tokenizer (.bin): a SentencePiece BPE vocabulary with scores, encoded and decoded
 * exactly as llama2.c's run.c does ({@code encode()} and {@code decode()}).
 *
 * <p>File format, little-endian: int32 max_token_length, then per token float32 score, int32
 * length, length bytes. The token count is not stored; it is the model's vocab_size. Ids 0..2 are
 * {@code <unk>}, BOS and EOS; byte b falls back to id b + 3.
 */
public final class Llama2cTokenizer implements Tokenizer {

    static final int BOS = 1;
    static final int EOS = 2;
    /** Byte b is token b + 3, after {@code <unk>}, BOS and EOS; run.c hard-codes this. */
    static final int BYTE_OFFSET = 3;
    private static final int MIN_VOCAB = BYTE_OFFSET + 256;
    /** run.c starts its best-pair search at this score: pieces scored at or below it never merge. */
    static final float NO_MERGE_SCORE = -1e10f;

    private final Path file;
    private final byte[][] pieces;
    private final float[] scores;
    /**
     * Piece bytes as ISO-8859-1 strings (one char per byte), so that map keys compare bytes exactly
     * and concatenating two keys gives the key of the concatenated bytes.
     */
    private final String[] keys;
    private final Map<String, Integer> idsByKey;

    private Llama2cTokenizer(Path file, List<byte[]> pieces, float[] scores) {
        this.file = file;
        this.pieces = pieces.toArray(new byte[0][]);
        this.scores = scores;
        this.keys = new String[this.pieces.length];
        this.idsByKey = new HashMap<>(this.pieces.length * 2);
        for (int id = 0; id < keys.length; id++) {
            keys[id] = new String(this.pieces[id], StandardCharsets.ISO_8859_1);
            // run.c binary-searches a sorted copy; with duplicate pieces any of them may win. We keep the lowest id.
            idsByKey.putIfAbsent(keys[id], id);
        }
    }

    /** Reads a tokenizer of exactly {@code vocabSize} tokens (the model's vocab_size); extra bytes are ignored, as in run.c. */
    public static Llama2cTokenizer load(Path file, int vocabSize) {
        if (vocabSize < MIN_VOCAB) {
            throw new InputException(file, "vocabulary size " + vocabSize + " is below " + MIN_VOCAB
                    + " (3 special and 256 byte-fallback tokens)");
        }
        return read(file, vocabSize);
    }

    /** Reads a tokenizer whose token count is inferred by reading tokens up to the end of the file. */
    public static Llama2cTokenizer load(Path file) {
        Llama2cTokenizer tokenizer = read(file, -1);
        if (tokenizer.vocabSize() < MIN_VOCAB) {
            throw new InputException(file, "holds " + tokenizer.vocabSize() + " tokens, fewer than " + MIN_VOCAB
                    + " (3 special and 256 byte-fallback tokens)");
        }
        return tokenizer;
    }

    /** Reads {@code vocabSize} tokens, or all tokens up to EOF when it is negative. */
    private static Llama2cTokenizer read(Path file, int vocabSize) {
        ByteBuffer buf = ByteBuffer.wrap(readAll(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < Integer.BYTES) {
            throw new InputException(file, "truncated: no max_token_length header");
        }
        int maxTokenLength = buf.getInt();
        if (maxTokenLength <= 0) {
            throw new InputException(file, "max_token_length " + maxTokenLength + " is not positive");
        }
        List<byte[]> pieces = new ArrayList<>();
        // Grown as tokens are read: a corrupt vocabSize must not allocate before the file proves it.
        float[] scores = new float[16];
        while (vocabSize < 0 ? buf.hasRemaining() : pieces.size() < vocabSize) {
            int id = pieces.size();
            if (id == scores.length) {
                scores = Arrays.copyOf(scores, Math.max(16, 2 * id));
            }
            require(buf, Float.BYTES + Integer.BYTES, file, id, vocabSize);
            scores[id] = buf.getFloat();
            int length = buf.getInt();
            if (length < 0 || length > maxTokenLength) {
                throw new InputException(file, "token " + id + ": length " + length + " outside 0.."
                        + maxTokenLength + " (max_token_length)");
            }
            require(buf, length, file, id, vocabSize);
            byte[] piece = new byte[length];
            buf.get(piece);
            pieces.add(piece);
        }
        return new Llama2cTokenizer(file, pieces, Arrays.copyOf(scores, pieces.size()));
    }

    private static void require(ByteBuffer buf, int bytes, Path file, int id, int vocabSize) {
        if (buf.remaining() < bytes) {
            String expected = vocabSize > 0 ? " (the model has " + vocabSize + " tokens)" : "";
            throw new InputException(file, "truncated in token " + id + expected);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e, e);
        }
    }

    /**
     * run.c's {@code encode()} on the UTF-8 bytes of {@code text}. Unlike a C string, the text may
     * contain U+0000, which is encoded as the byte token {@code <0x00>} instead of ending the text.
     */
    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[utf8.length + 1];
        int count = 0;
        // run.c adds a dummy prefix " " to non-empty text (SentencePiece's add_dummy_prefix).
        if (utf8.length > 0) {
            count = appendPiece(new byte[] {' '}, 0, 1, tokens, count);
        }
        for (int start = 0; start < utf8.length; ) {
            int end = codePointEnd(utf8, start);
            count = appendPiece(utf8, start, end, tokens, count);
            start = end;
        }
        int[] merged = mergePairs(tokens, count);
        int[] out = new int[merged.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            out[0] = BOS;
        }
        System.arraycopy(merged, 0, out, bos ? 1 : 0, merged.length);
        if (eos) {
            out[out.length - 1] = EOS;
        }
        return out;
    }

    /**
     * End of the "code point" starting at {@code start} as run.c cuts it: the byte plus the
     * continuation bytes (10xxxxxx) that follow, at most 4 bytes in all. Stray continuation bytes
     * therefore group the same way.
     */
    private static int codePointEnd(byte[] utf8, int start) {
        int end = start + 1;
        while (end < utf8.length && (utf8[end] & 0xC0) == 0x80 && end - start < 4) {
            end++;
        }
        return end;
    }

    /** Appends the piece id of bytes [start, end), or one byte-fallback id per byte when it is not a piece. */
    private int appendPiece(byte[] bytes, int start, int end, int[] tokens, int count) {
        Integer id = idsByKey.get(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
        if (id != null) {
            tokens[count++] = id;
            return count;
        }
        for (int i = start; i < end; i++) {
            tokens[count++] = (bytes[i] & 0xFF) + BYTE_OFFSET;
        }
        return count;
    }

    /** A mergeable adjacent pair: nodes {@code left} and its successor holding {@code leftId}, {@code rightId}. */
    private record Candidate(float score, int left, int leftId, int rightId, int merged) {

        /**
         * run.c merges the pair with the highest score, the leftmost one on ties. Node indices keep
         * their left-to-right order, so the smaller left index is the leftmost pair. Primitive
         * comparison, like C's, so that -0.0 and 0.0 tie.
         */
        static int byPriority(Candidate a, Candidate b) {
            if (a.score > b.score) {
                return -1;
            }
            if (a.score < b.score) {
                return 1;
            }
            return Integer.compare(a.left, b.left);
        }
    }

    /**
     * run.c's merge loop (repeatedly merge the best adjacent pair whose concatenation is a piece)
     * in O(n log n): a doubly linked list of tokens and a priority queue of candidate pairs. Queue
     * entries go stale when a neighbour merges; they are recognised by the node's current ids and
     * skipped. Every live pair has an entry, so the first valid entry is the pair run.c picks.
     */
    private int[] mergePairs(int[] tokens, int count) {
        int[] next = new int[count];
        int[] prev = new int[count];
        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(1, count), Candidate::byPriority);
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            if (i > 0) {
                offer(queue, tokens, i - 1, i);
            }
        }
        int live = count;
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            int right = next[c.left];
            if (tokens[c.left] != c.leftId || right < 0 || tokens[right] != c.rightId) {
                continue;
            }
            tokens[c.left] = c.merged;
            tokens[right] = -1;
            next[c.left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = c.left;
                offer(queue, tokens, c.left, next[right]);
            }
            if (prev[c.left] >= 0) {
                offer(queue, tokens, prev[c.left], c.left);
            }
            live--;
        }
        int[] out = new int[live];
        // Merges remove the right node, so node 0 (if any) heads the list.
        for (int node = count > 0 ? 0 : -1, i = 0; node >= 0; node = next[node]) {
            out[i++] = tokens[node];
        }
        return out;
    }

    private void offer(PriorityQueue<Candidate> queue, int[] tokens, int left, int right) {
        Integer merged = idsByKey.get(keys[tokens[left]] + keys[tokens[right]]);
        if (merged != null && scores[merged] > NO_MERGE_SCORE) {
            queue.add(new Candidate(scores[merged], left, tokens[left], tokens[right], merged));
        }
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ids.length; i++) {
            checkId(ids[i]);
            if (!isSpecial(ids[i])) {
                out.writeBytes(pieceText(i > 0 ? ids[i - 1] : -1, ids[i]));
            }
        }
        // Byte tokens of one character are only valid UTF-8 together, so decode once at the end.
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String decodeNext(int prev, int next) {
        checkId(next);
        return isSpecial(next) ? "" : new String(pieceText(prev, next), StandardCharsets.UTF_8);
    }

    /**
     * run.c's {@code decode(prev, token)}: after BOS the piece loses its leading space (as
     * SentencePiece drops the dummy prefix), and a piece {@code <0xXX>} stands for that raw byte.
     */
    private byte[] pieceText(int prev, int id) {
        byte[] piece = pieces[id];
        int from = prev == BOS && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
        int raw = rawByte(piece, from);
        return raw >= 0 ? new byte[] {(byte) raw} : Arrays.copyOfRange(piece, from, piece.length);
    }

    /**
     * The byte a piece {@code <0xXX>} stands for, or -1. run.c uses sscanf("<0x%02hhX>"), which
     * also accepts a few malformed variants; real vocabularies hold only this exact form.
     */
    static int rawByte(byte[] piece, int from) {
        if (piece.length - from != 6 || piece[from] != '<' || piece[from + 1] != '0' || piece[from + 2] != 'x'
                || piece[from + 5] != '>') {
            return -1;
        }
        int high = Character.digit(piece[from + 3], 16);
        int low = Character.digit(piece[from + 4], 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static boolean isSpecial(int id) {
        return id == BOS || id == EOS;
    }

    private void checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary 0.." + (pieces.length - 1));
        }
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    /** The raw bytes of a piece as stored in the file (spaces are real spaces, bytes are {@code <0xXX>} text). */
    byte[] piece(int id) {
        checkId(id);
        return pieces[id].clone();
    }

    /** The id of a piece, or -1. */
    int id(byte[] piece) {
        return idsByKey.getOrDefault(new String(piece, StandardCharsets.ISO_8859_1), -1);
    }

    float score(int id) {
        checkId(id);
        return scores[id];
    }

    /** The file this tokenizer was read from, for error messages. */
    Path file() {
        return file;
    }
}
