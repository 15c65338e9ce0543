package dev.falcon.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L as Google's rouge_score computes it with {@code use_stemmer=True}, which is how TOFU
 * scores a generated answer against the gold one. Tokens: lower-case the text, turn every run of
 * characters other than [a-z0-9] into a space, split on whitespace, Porter-stem (NLTK mode) the
 * tokens longer than 3 characters, drop empty tokens. The score comes from the longest common
 * subsequence (LCS) of the two token lists.
 */
public final class RougeL {

    private RougeL() {
    }

    /** LCS length / reference length; 0 when either text has no token (as rouge_score). */
    public static double recall(String prediction, String reference) {
        List<String> target = tokens(reference);
        List<String> predicted = tokens(prediction);
        if (target.isEmpty() || predicted.isEmpty()) {
            return 0.0;
        }
        return (double) lcsLength(target, predicted) / target.size();
    }

    /** rouge_score's tokenize(text, PorterStemmer()). */
    public static List<String> tokens(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ");
        List<String> tokens = new ArrayList<>();
        for (String token : cleaned.split(" ")) {
            if (!token.isEmpty()) {
                tokens.add(token.length() > 3 ? PorterStemmer.stem(token) : token);
            }
        }
        return tokens;
    }

    /** Classic dynamic programme over prefixes, one row at a time. */
    static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
