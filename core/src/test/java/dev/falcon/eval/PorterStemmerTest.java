package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PorterStemmerTest {

    private static String stemAll(String words) {
        return Arrays.stream(words.split(" ")).map(PorterStemmer::stem).collect(Collectors.joining(" "));
    }

    /** NLTK's own doctest for PorterStemmer() (nltk/test/stem.doctest), default NLTK_EXTENSIONS mode. */
    @Test
    void nltkDoctestPlurals() {
        assertEquals("caress fli die mule deni die agre own humbl size meet state siez item sensat tradit refer colon plot",
                stemAll("caresses flies dies mules denied died agreed owned humbled sized meeting stating siezing "
                        + "itemization sensational traditional reference colonizer plotted"));
    }

    /** Each derived by hand from the rules; the comment names the steps that fire. */
    @Test
    void handTracedWords() {
        assertEquals("run", PorterStemmer.stem("running")); // 1b: -ing, "runn" ends in a double n -> "run"
        assertEquals("run", PorterStemmer.stem("runs")); // 1a: -s
        assertEquals("happi", PorterStemmer.stem("happy")); // 1c: y after the consonant p -> i
        assertEquals("enjoy", PorterStemmer.stem("enjoy")); // 1c: y after a vowel stays (NLTK rule)
        assertEquals("quickli", PorterStemmer.stem("quickly")); // 1c: y -> i; no step-2 rule ends in "kli"
        assertEquals("relat", PorterStemmer.stem("relational")); // 2: ational -> ate; 5a: m("relat") = 2 drops e
        assertEquals("hope", PorterStemmer.stem("hopeful")); // 3: -ful with m("hope") = 1
        assertEquals("citi", PorterStemmer.stem("city")); // 1c
        assertEquals("control", PorterStemmer.stem("controll")); // 5b: m("control") = 2 > 1
        assertEquals("roll", PorterStemmer.stem("roll")); // 5b: m("rol") = 1
    }

    @Test
    void nltkExtensionsDifferFromThePaper() {
        assertEquals("sky", PorterStemmer.stem("skies")); // irregular table
        assertEquals("die", PorterStemmer.stem("dying")); // irregular table
        assertEquals("news", PorterStemmer.stem("news")); // irregular table
        assertEquals("geolog", PorterStemmer.stem("geology")); // logi -> log with m("geol") = 1
        assertEquals("spi", PorterStemmer.stem("spied")); // ied -> i (five letters)
        assertEquals("tie", PorterStemmer.stem("tied")); // ied -> ie (four letters)
        assertEquals("radic", PorterStemmer.stem("radically")); // 1c: y -> i; 2: alli -> al, step 2 again; 3: ical -> ic, m("rad") = 1
        assertEquals("is", PorterStemmer.stem("is")); // two letters are left alone
    }
}
