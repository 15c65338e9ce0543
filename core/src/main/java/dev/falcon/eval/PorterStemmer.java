package dev.falcon.eval;

import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Porter (1980) suffix-stripping stemmer in NLTK's default {@code NLTK_EXTENSIONS} mode,
 * which is what Google's rouge_score uses ({@code nltk.stem.porter.PorterStemmer()}) and so
 * what TOFU's ROUGE-L sees. Beyond the paper it has: a table of irregular forms, words of at
 * most two letters left alone, "ies"/"ied" on four-letter words kept as "ie", y -> i only after
 * a consonant that is not the first letter, the cvc test also true for a two-letter vowel-consonant
 * stem, "bli" -> "ble" instead of "abli" -> "able", "alli" handled first and re-run through step
 * 2, and the extra step-2 rules "fulli" -> "ful" and "logi" -> "log" (measured with the l kept).
 */
public final class PorterStemmer {

    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"), Map.entry("dying", "die"),
            Map.entry("lying", "lie"), Map.entry("tying", "tie"), Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"), Map.entry("outings", "outing"),
            Map.entry("outing", "outing"), Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"), Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"),
            Map.entry("succeed", "succeed"));

    private static final Rule[] STEP1A = {
        new Rule("sses", "ss", null), new Rule("ies", "i", null), new Rule("ss", "ss", null), new Rule("s", "", null)};

    private static final Rule[] STEP2 = {
        positive("ational", "ate"), positive("tional", "tion"), positive("enci", "ence"), positive("anci", "ance"),
        positive("izer", "ize"), positive("bli", "ble"), positive("alli", "al"), positive("entli", "ent"),
        positive("eli", "e"), positive("ousli", "ous"), positive("ization", "ize"), positive("ation", "ate"),
        positive("ator", "ate"), positive("alism", "al"), positive("iveness", "ive"), positive("fulness", "ful"),
        positive("ousness", "ous"), positive("aliti", "al"), positive("iviti", "ive"), positive("biliti", "ble"),
        positive("fulli", "ful"),
        // the stem keeps its "l" when measured: "geology" -> "geolog" although m("geo") = 0
        new Rule("logi", "log", stem -> measure(stem + "l") > 0)};

    private static final Rule[] STEP3 = {
        positive("icate", "ic"), positive("ative", ""), positive("alize", "al"), positive("iciti", "ic"),
        positive("ical", "ic"), positive("ful", ""), positive("ness", "")};

    private static final Rule[] STEP4 = {
        longer("al"), longer("ance"), longer("ence"), longer("er"), longer("ic"), longer("able"), longer("ible"),
        longer("ant"), longer("ement"), longer("ment"), longer("ent"),
        new Rule("ion", "", stem -> measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))),
        longer("ou"), longer("ism"), longer("ate"), longer("iti"), longer("ous"), longer("ive"), longer("ize")};

    private PorterStemmer() {
    }

    /** NLTK's stem(word): lower-cased, then stemmed; the irregular table is keyed by the word as given. */
    public static String stem(String word) {
        String irregular = IRREGULAR.get(word);
        if (irregular != null) {
            return irregular;
        }
        String w = word.toLowerCase(Locale.ROOT);
        if (word.length() <= 2) {
            return w;
        }
        w = step1a(w);
        w = step1b(w);
        w = step1c(w);
        w = step2(w);
        w = applyFirst(w, STEP3);
        w = applyFirst(w, STEP4);
        w = step5a(w);
        return step5b(w);
    }

    /**
     * A suffix rule: when the word ends with {@code suffix}, replace it if the condition holds
     * for what precedes it. Rules are tried in order and the first matching suffix decides, even
     * when its condition fails.
     */
    private record Rule(String suffix, String replacement, Predicate<String> condition) {
    }

    private static Rule positive(String suffix, String replacement) {
        return new Rule(suffix, replacement, stem -> measure(stem) > 0);
    }

    private static Rule longer(String suffix) {
        return new Rule(suffix, "", stem -> measure(stem) > 1);
    }

    private static String applyFirst(String word, Rule[] rules) {
        for (Rule rule : rules) {
            if (word.endsWith(rule.suffix())) {
                String stem = word.substring(0, word.length() - rule.suffix().length());
                return rule.condition() == null || rule.condition().test(stem) ? stem + rule.replacement() : word;
            }
        }
        return word;
    }

    private static String step1a(String w) {
        if (w.endsWith("ies") && w.length() == 4) {
            return w.substring(0, 1) + "ie"; // "dies" -> "die", but "flies" -> "fli"
        }
        return applyFirst(w, STEP1A);
    }

    private static String step1b(String w) {
        if (w.endsWith("ied")) {
            return w.substring(0, w.length() - 3) + (w.length() == 4 ? "ie" : "i");
        }
        if (w.endsWith("eed")) {
            String stem = w.substring(0, w.length() - 3);
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String stem = stripIfVowel(w, "ed");
        if (stem == null) {
            stem = stripIfVowel(w, "ing");
        }
        return stem == null ? w : restoreAfterEdIng(stem);
    }

    private static String stripIfVowel(String w, String suffix) {
        if (!w.endsWith(suffix)) {
            return null;
        }
        String stem = w.substring(0, w.length() - suffix.length());
        return containsVowel(stem) ? stem : null;
    }

    /** After removing -ed/-ing: conflat -> conflate, hopp -> hop, fil -> file. */
    private static String restoreAfterEdIng(String stem) {
        if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) {
            return stem + "e";
        }
        if (endsDoubleConsonant(stem)) {
            char last = stem.charAt(stem.length() - 1);
            return last == 'l' || last == 's' || last == 'z' ? stem : stem.substring(0, stem.length() - 1);
        }
        return measure(stem) == 1 && endsCvc(stem) ? stem + "e" : stem;
    }

    private static String step1c(String w) {
        int last = w.length() - 1;
        if (w.endsWith("y") && last > 1 && isConsonant(w, last - 1)) {
            return w.substring(0, last) + "i";
        }
        return w;
    }

    private static String step2(String w) {
        if (w.endsWith("alli") && measure(w.substring(0, w.length() - 4)) > 0) {
            return step2(w.substring(0, w.length() - 2));
        }
        return applyFirst(w, STEP2);
    }

    private static String step5a(String w) {
        if (w.endsWith("e")) {
            String stem = w.substring(0, w.length() - 1);
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) {
                return stem;
            }
        }
        return w;
    }

    private static String step5b(String w) {
        return w.endsWith("ll") && measure(w.substring(0, w.length() - 1)) > 1 ? w.substring(0, w.length() - 1) : w;
    }

    /** Porter's consonant: not a, e, i, o, u, and y only when not preceded by a consonant. */
    static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        return c != 'y' || i == 0 || !isConsonant(w, i - 1);
    }

    /** m in [C](VC)^m[V]: the number of vowel-to-consonant transitions. */
    static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) {
                m++;
            }
        }
        return m;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    /** *o: ends consonant-vowel-consonant, the last not w, x or y; or is a two-letter vowel-consonant. */
    private static boolean endsCvc(String w) {
        int n = w.length();
        if (n == 2) {
            return !isConsonant(w, 0) && isConsonant(w, 1);
        }
        char last = w.charAt(n - 1);
        return n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)
                && last != 'w' && last != 'x' && last != 'y';
    }
}
