package dev.falcon.io;

/** Text to token ids and back; one implementation per file format (llama2.c .bin, tokenizer.json). */
public interface Tokenizer {

    /** Encodes text; bos/eos prepend/append the special ids. No truncation. */
    int[] encode(String text, boolean bos, boolean eos);

    /** Decodes a whole sequence to text, dropping special tokens. */
    String decode(int[] ids);

    /**
     * The text that token {@code next} adds when it follows {@code prev}, as a streaming decoder
     * prints it (llama2.c strips the leading space of a piece that follows BOS).
     */
    String decodeNext(int prev, int next);

    int bosId();

    int eosId();

    int vocabSize();
}
