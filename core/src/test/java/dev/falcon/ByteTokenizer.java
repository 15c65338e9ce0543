package dev.falcon;

import dev.falcon.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A tokenizer whose counts are known: one token per UTF-8 byte, BOS 1, EOS 2, byte b encoded as
 * 3 + b mod (vocabulary - 3). The full vocabulary (259) is lossless; a small one folds bytes together so that
 * a tiny model can learn from a few steps of text.
 */
public final class ByteTokenizer implements Tokenizer {

    public static final int VOCAB = 259;
    private static final int SPECIALS = 3;

    private final int vocab;

    public ByteTokenizer() {
        this(VOCAB);
    }

    public ByteTokenizer(int vocab) {
        if (vocab <= SPECIALS || vocab > VOCAB) {
            throw new IllegalArgumentException("vocabulary must be in 4.." + VOCAB + ": " + vocab);
        }
        this.vocab = vocab;
    }

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            out[0] = bosId();
        }
        for (int i = 0; i < bytes.length; i++) {
            out[i + (bos ? 1 : 0)] = SPECIALS + (bytes[i] & 0xFF) % (vocab - SPECIALS);
        }
        if (eos) {
            out[out.length - 1] = eosId();
        }
        return out;
    }

    /** Exact for the full vocabulary; a folded one decodes each token to its smallest byte. */
    @Override
    public String decode(int[] ids) {
        int[] kept = Arrays.stream(ids).filter(id -> id >= SPECIALS).toArray();
        byte[] bytes = new byte[kept.length];
        for (int i = 0; i < kept.length; i++) {
            bytes[i] = (byte) (kept[i] - SPECIALS);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String decodeNext(int prev, int next) {
        return decode(new int[] {next});
    }

    @Override
    public int bosId() {
        return 1;
    }

    @Override
    public int eosId() {
        return 2;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }
}
