package dev.falcon.eval;

import dev.falcon.tokenizer.PythonWhitespace;
import java.nio.charset.StandardCharsets;

/**
 * Perplexities from a total log-likelihood (natural log) and counts, as lm-evaluation-harness
 * reports them for WikiText: each is exp(-sum LL / count) with the count in tokens, words or
 * UTF-8 bytes of the original text, and bits per byte is -sum LL / bytes / ln 2.
 */
public final class PerplexityMath {

    private PerplexityMath() {
    }

    public static double perplexity(double totalLogLikelihood, long count) {
        if (count <= 0) {
            throw new IllegalArgumentException("perplexity needs a positive count, got " + count);
        }
        return Math.exp(-totalLogLikelihood / count);
    }

    public static double bitsPerByte(double totalLogLikelihood, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bits per byte needs a positive byte count, got " + bytes);
        }
        return -totalLogLikelihood / bytes / Math.log(2);
    }

    /**
     * lm-eval's wikitext word count, {@code len(re.split(r"\s+", doc["page"]))} on the text before
     * detokenisation: the number of whitespace runs plus one. Leading or trailing whitespace thus
     * adds an empty "word", and an empty text counts 1, exactly as Python does.
     */
    public static long wordCount(String text) {
        long runs = 0;
        boolean inRun = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean space = PythonWhitespace.isSpace(cp);
            if (space && !inRun) {
                runs++;
            }
            inRun = space;
            i += Character.charCount(cp);
        }
        return runs + 1;
    }

    /** {@code len(doc["page"].encode("utf-8"))}. */
    public static long byteCount(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
