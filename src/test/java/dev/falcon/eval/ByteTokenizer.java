package dev.falcon.eval;

import dev.falcon.io.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One token per UTF-8 byte (id = byte + 3), BOS 1, EOS 2: a tokenizer whose counts are known. */
final class ByteTokenizer implements Tokenizer {

    static final int VOCAB = 259;

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            out[0] = bosId();
        }
        for (int i = 0; i < bytes.length; i++) {
            out[i + (bos ? 1 : 0)] = (bytes[i] & 0xFF) + 3;
        }
        if (eos) {
            out[out.length - 1] = eosId();
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        int[] kept = Arrays.stream(ids).filter(id -> id >= 3).toArray();
        byte[] bytes = new byte[kept.length];
        for (int i = 0; i < kept.length; i++) {
            bytes[i] = (byte) (kept[i] - 3);
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
        return VOCAB;
    }
}
