package dev.falcon.train;

import dev.falcon.io.Tokenizer;

/** A test tokenizer with one token per character (id = 3 + char mod 13), BOS 1, EOS 2: vocabulary 16. */
public final class CharTokenizer implements Tokenizer {

    public static final int VOCAB = 16;

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        int n = text.length() + (bos ? 1 : 0) + (eos ? 1 : 0);
        int[] ids = new int[n];
        int i = 0;
        if (bos) {
            ids[i++] = bosId();
        }
        for (char c : text.toCharArray()) {
            ids[i++] = 3 + c % 13;
        }
        if (eos) {
            ids[i] = eosId();
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public String decodeNext(int prev, int next) {
        throw new UnsupportedOperationException("not needed by the tests");
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
