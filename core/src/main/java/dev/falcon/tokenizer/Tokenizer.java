package dev.falcon.tokenizer;

/**
 * Text to token ids and back; one implementation per file format (llama2.c .bin, tokenizer.json).
 * Close it when done: a tokenizer.json tokenizer holds a native (Rust) object.
 */
public interface Tokenizer extends AutoCloseable {

    /** Encodes text; bos/eos prepend/append the special ids. No truncation. */
    int[] encode(String text, boolean bos, boolean eos);

    /** Decodes a whole sequence to text, dropping special tokens. */
    String decode(int[] ids);

    /**
     * The text that token {@code next} adds when it follows {@code prev}, as a streaming decoder
     * prints it (llama2.c strips the leading space of a piece that follows BOS). A character whose
     * UTF-8 bytes are split over several tokens cannot be rebuilt from one pair; {@link
     * DecodeStream} buffers such bytes.
     */
    String decodeNext(int prev, int next);

    int bosId();

    int eosId();

    int vocabSize();

    /** Frees native resources; a no-op for pure-Java tokenizers. */
    @Override
    default void close() {}
}
