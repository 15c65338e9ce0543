package dev.falcon.tokenizer;

import java.util.Arrays;

/**
 * Streaming decode for generation: feed tokens one by one, get the text each one completes. The
 * concatenated output equals {@link Tokenizer#decode} of the whole sequence, also when a
 * character's UTF-8 bytes are spread over several byte tokens: text ending in an incomplete
 * character (U+FFFD) is held back until the character completes.
 *
 * <p>It decodes a short window: the tokens printed last (as context, since decoders treat the
 * first token of a text specially) plus those not yet printed.
 */
public final class DecodeStream {

    private final Tokenizer tokenizer;
    private int[] window;
    private int size;
    /** window[0, printed) has been printed already. */
    private int printed;

    /** {@code context}: tokens already shown to the user (e.g. BOS or the prompt); may be empty. */
    public DecodeStream(Tokenizer tokenizer, int... context) {
        this.tokenizer = tokenizer;
        this.window = Arrays.copyOf(context, Math.max(8, context.length + 1));
        this.size = context.length;
        this.printed = context.length;
    }

    /** The text that {@code id} completes; empty while a character is incomplete. */
    public String next(int id) {
        if (size == window.length) {
            window = Arrays.copyOf(window, 2 * size);
        }
        window[size++] = id;
        String before = tokenizer.decode(Arrays.copyOf(window, printed));
        String after = tokenizer.decode(Arrays.copyOf(window, size));
        if (after.endsWith("\uFFFD")) {
            return "";
        }
        window = Arrays.copyOfRange(window, printed, Math.max(size, printed + 8));
        size -= printed;
        printed = size;
        return added(before, after);
    }

    /**
     * What {@code after} adds to {@code before}: normally a suffix; if a decoder rewrote the end of
     * {@code before}, the part after their common prefix (never splitting a surrogate pair).
     */
    static String added(String before, String after) {
        int common = 0;
        int limit = Math.min(before.length(), after.length());
        while (common < limit && before.charAt(common) == after.charAt(common)) {
            common++;
        }
        if (common > 0 && common < after.length() && Character.isHighSurrogate(after.charAt(common - 1))) {
            common--;
        }
        return after.substring(common);
    }
}
