package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import dev.falcon.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class Llama2cTokenizerTest {

    @TempDir
    Path dir;

    /** A token of a hand-made .bin file. */
    public record Entry(float score, String piece) {}

    /** The 259 tokens every llama2.c vocabulary starts with: {@code <unk>}, BOS, EOS, 256 byte tokens. */
    public static List<Entry> baseVocab() {
        List<Entry> entries = new ArrayList<>(List.of(new Entry(0, "<unk>"), new Entry(0, "<s>"), new Entry(0, "</s>")));
        for (int b = 0; b < 256; b++) {
            entries.add(new Entry(0, String.format("<0x%02X>", b)));
        }
        return entries;
    }

    public static Path writeBin(Path file, int maxTokenLength, List<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(maxTokenLength));
        for (Entry e : entries) {
            byte[] piece = e.piece().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(e.score()).array());
            out.writeBytes(le(piece.length));
            out.writeBytes(piece);
        }
        return Files.write(file, out.toByteArray());
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** ids 259.. : " " a b ab ba " a" bb, scored so that ab and ba tie and bb can never merge. */
    private Llama2cTokenizer handMade() throws IOException {
        List<Entry> entries = baseVocab();
        entries.addAll(List.of(new Entry(-10, " "), new Entry(-10, "a"), new Entry(-10, "b"), new Entry(5, "ab"),
                new Entry(5, "ba"), new Entry(1, " a"), new Entry(-1e10f, "bb")));
        return Llama2cTokenizer.load(writeBin(dir.resolve("hand.bin"), 6, entries));
    }

    @Test
    void mergesHighestScoreLeftmostFirst() throws IOException {
        Llama2cTokenizer tok = handMade();
        // "aba" -> [" ", a, b, a]; candidates " a"(1), ab(5), ba(5): ab and ba tie, the leftmost (ab) wins,
        // leaving [" ", ab, a], whose pairs " ab" and "aba" are not pieces.
        assertArrayEquals(new int[] {1, 259, 262, 260}, tok.encode("aba", true, false));
        // "bb" scores -1e10, which run.c's search (starting at -1e10, strict >) never accepts.
        assertArrayEquals(new int[] {259, 261, 261, 2}, tok.encode("bb", false, true));
        // "é" (C3 A9) is not a piece: byte fallback gives 0xC3 + 3 and 0xA9 + 3.
        assertArrayEquals(new int[] {259, 198, 172}, tok.encode("é", false, false));
        // Empty text gets no dummy prefix.
        assertArrayEquals(new int[] {1}, tok.encode("", true, false));
    }

    @Test
    void decodesPiecesLikeRunC() throws IOException {
        Llama2cTokenizer tok = handMade();
        assertEquals("aba", tok.decode(new int[] {1, 259, 262, 260}));
        assertEquals(" aba", tok.decode(new int[] {259, 262, 260}), "no BOS, so the leading space stays");
        assertEquals("é", tok.decode(new int[] {198, 172}));
        assertEquals("a", tok.decodeNext(1, 264), "leading space stripped after BOS");
        assertEquals(" a", tok.decodeNext(260, 264));
        assertEquals("A", tok.decodeNext(260, 'A' + 3), "<0x41> is the raw byte A");
        assertEquals("", tok.decodeNext(260, 2), "EOS prints nothing");
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {266}));
    }

    /** run.c's encode() transcribed literally (linear best-pair scan per merge), as an oracle. */
    private static int[] runCEncode(Llama2cTokenizer tok, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> tokens = new ArrayList<>(List.of(1));
        if (utf8.length > 0) {
            tokens.add(lookup(tok, " ".getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < utf8.length; ) {
            int len = 1;
            while (i + len < utf8.length && (utf8[i + len] & 0xC0) == 0x80 && len < 4) {
                len++;
            }
            byte[] cp = Arrays.copyOfRange(utf8, i, i + len);
            int id = lookup(tok, cp);
            if (id >= 0) {
                tokens.add(id);
            } else {
                for (byte b : cp) {
                    tokens.add((b & 0xFF) + 3);
                }
            }
            i += len;
        }
        while (true) {
            float best = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i < tokens.size() - 1; i++) {
                byte[] a = tok.piece(tokens.get(i));
                byte[] b = tok.piece(tokens.get(i + 1));
                byte[] ab = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, ab, a.length, b.length);
                int id = lookup(tok, ab);
                if (id != -1 && tok.score(id) > best) {
                    best = tok.score(id);
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                break;
            }
            tokens.set(bestIdx, bestId);
            tokens.remove(bestIdx + 1);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lookup(Llama2cTokenizer tok, byte[] piece) {
        for (int id = 0; id < tok.vocabSize(); id++) {
            if (Arrays.equals(tok.piece(id), piece)) {
                return id;
            }
        }
        return -1;
    }

    @Test
    void priorityQueueMergeMatchesRunCLinearScan() throws IOException {
        Llama2cTokenizer tok = Llama2cTokenizer.load(TokenizerFixtureTest.tok512(), 512);
        Random random = new Random(42);
        // Random concatenations of vocabulary pieces (plus a few non-ASCII characters) produce many
        // competing merges, including repeated pieces that tie at equal scores.
        String[] extras = {" ", "é", "日", "✓", "\n", "  "};
        for (int trial = 0; trial < 200; trial++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(5) == 0) {
                    text.append(extras[random.nextInt(extras.length)]);
                } else {
                    text.append(new String(tok.piece(259 + random.nextInt(512 - 259)), StandardCharsets.UTF_8));
                }
            }
            String s = text.toString();
            assertArrayEquals(runCEncode(tok, s), tok.encode(s, true, false), s);
        }
    }

    @Test
    void encodesAHundredKilobytesQuickly() throws IOException {
        Llama2cTokenizer tok = Llama2cTokenizer.load(TokenizerFixtureTest.tok512(), 512);
        String wiki = Files.readString(SharedData.data().resolve("wikitext-2/wiki.test.raw"));
        String text = wiki.substring(0, 100_000);
        // run.c's quadratic loop needs minutes here (~10^5 merges, each scanning ~10^5 pairs).
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> tok.encode(text, true, false));
        assertTrue(ids.length > 20_000, "512-token BPE compresses English only ~3x");
        assertEquals(text, tok.decode(ids));
    }

    private Path bin(byte[] content) throws IOException {
        return Files.write(dir.resolve("bad.bin"), content);
    }

    private void assertBad(Path file, int vocabSize, String problem) {
        InputException e = assertThrows(InputException.class,
                () -> Llama2cTokenizer.load(file, vocabSize));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void rejectsBadFiles() throws IOException {
        Path good = writeBin(dir.resolve("good.bin"), 6, baseVocab());
        byte[] bytes = Files.readAllBytes(good);
        assertBad(bin(new byte[] {1, 0}), 259, "no max_token_length");
        assertBad(bin(Arrays.copyOf(bytes, bytes.length - 3)), 259, "truncated in token 258");
        assertBad(good, 300, "truncated in token 259 (the model has 300 tokens)");
        // A corrupt model header must not make us allocate 2^31 scores up front.
        assertBad(good, Integer.MAX_VALUE, "truncated in token 259");
        assertBad(good, 10, "below 259");
        assertBad(dir.resolve("missing.bin"), 259, "cannot read");

        byte[] negative = bytes.clone();
        negative[8] = -1; // length of token 0 (after header and score) becomes 0xFFFFFF05: negative
        negative[9] = -1;
        negative[10] = -1;
        negative[11] = -1;
        assertBad(bin(negative), 259, "token 0: length -1 outside 0..6");

        List<Entry> tooLong = baseVocab();
        tooLong.set(0, new Entry(0, "<unknown>"));
        assertBad(writeBin(dir.resolve("long.bin"), 6, tooLong), 259, "token 0: length 9 outside 0..6");

        byte[] zeroMax = bytes.clone();
        zeroMax[0] = 0;
        assertBad(bin(zeroMax), 259, "max_token_length 0 is not positive");
    }

    @Test
    void inferredSizeNeedsTheByteTokens() throws IOException {
        Path small = writeBin(dir.resolve("small.bin"), 6, baseVocab().subList(0, 100));
        InputException e = assertThrows(InputException.class, () -> Llama2cTokenizer.load(small));
        assertTrue(e.getMessage().contains("holds 100 tokens"), e.getMessage());
        assertEquals(259, Llama2cTokenizer.load(writeBin(dir.resolve("ok.bin"), 6, baseVocab())).vocabSize());
    }
}
