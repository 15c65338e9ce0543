package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * What the scale bench feeds a model: documents to unlearn and retain, lettered multiple-choice questions
 * and a generation prompt, made of pseudo-words drawn with a seed and cut to token lengths under the
 * tokenizer in use. The same words make the vocabulary of the tokenizer the bench generates when the user
 * gives none.
 */
final class ScaleTexts {

    /** The subject the questions are "about"; lm-eval's description names it. */
    static final String SUBJECT = "scale";
    /** Shortest and longest lettered prompt, in tokens: MMLU's questions are mostly of this size. */
    static final int MIN_PROMPT_TOKENS = 150;
    static final int MAX_PROMPT_TOKENS = 300;
    static final int CHOICES = 4;

    /** The words of the lettered prompt's fixed parts and its answer letters, which the tokenizer must know. */
    private static final List<String> PROMPT_WORDS = List.of("the", "following", "are", "multiple", "choice",
            "questions", "with", "answers", "about", SUBJECT, "answer", "a", "b", "c", "d", ".", "(", ")", ":");
    private static final String CONSONANTS = "bdfgklmnprstvz";
    private static final String VOWELS = "aeiou";

    private final Tokenizer tokenizer;
    private final List<String> pool;
    private final SplittableRandom random;

    /** Texts of words from {@code vocabulary} (beyond its prompt words) under {@code tokenizer}. */
    ScaleTexts(Tokenizer tokenizer, List<String> vocabulary, long seed) {
        this.tokenizer = tokenizer;
        this.pool = vocabulary.stream().filter(w -> !PROMPT_WORDS.contains(w)).toList();
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code count} distinct words: the prompt's words, then pseudo-words of two consonant-vowel syllables,
     * then of three (70 syllables: 4,900 and 343,000 of them), in a fixed order.
     */
    static List<String> vocabulary(int count) {
        Set<String> words = new LinkedHashSet<>(PROMPT_WORDS);
        List<String> syllables = new ArrayList<>();
        for (char c : CONSONANTS.toCharArray()) {
            for (char v : VOWELS.toCharArray()) {
                syllables.add("" + c + v);
            }
        }
        for (int i = 0; words.size() < count && i < syllables.size() * syllables.size(); i++) {
            words.add(syllables.get(i / syllables.size()) + syllables.get(i % syllables.size()));
        }
        int n = syllables.size();
        for (int i = 0; words.size() < count && i < n * n * n; i++) {
            words.add(syllables.get(i / (n * n)) + syllables.get(i / n % n) + syllables.get(i % n));
        }
        if (words.size() < count) {
            throw new IllegalArgumentException("at most " + words.size() + " words, asked for " + count);
        }
        return List.copyOf(words).subList(0, count);
    }

    /** {@code count} documents of the most words that stay within {@code tokens} tokens, BOS included. */
    List<String> documents(int count, int tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> words = draw(tokens);
            int n = longest(tokens, k -> tokenizer.encode(text(words, k), true, false).length <= tokens);
            out.add(text(words, n));
        }
        return out;
    }

    /**
     * {@code count} questions with {@value #CHOICES} choices of 3 to 8 words, answers cycling A-D, each question
     * as long as keeps its lettered prompt (as {@code falcon eval} scores it, without BOS) within a length drawn
     * from {@value #MIN_PROMPT_TOKENS}-{@value #MAX_PROMPT_TOKENS} tokens.
     */
    List<McqItem> questions(int count) {
        List<McqItem> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            List<String> choices = new ArrayList<>();
            for (int c = 0; c < CHOICES; c++) {
                choices.add(text(draw(8), 3 + random.nextInt(6)));
            }
            int target = MIN_PROMPT_TOKENS + random.nextInt(MAX_PROMPT_TOKENS - MIN_PROMPT_TOKENS + 1);
            List<String> words = draw(target);
            int n = longest(target, k -> promptTokens(item(index, text(words, k), choices)) <= target);
            out.add(item(index, text(words, n), choices));
        }
        return out;
    }

    /** Tokens of a question's lettered prompt: what one forward pass over it processes. */
    int promptTokens(McqItem item) {
        return tokenizer.encode(McqPrompt.lettered(item).context(), false, false).length;
    }

    /** A prompt of {@code words} words. */
    String prompt(int words) {
        return text(draw(words), words);
    }

    /** Writes the questions in the cais/mmlu JSON-lines layout that {@code falcon eval --mcq} reads. */
    static void writeQuestions(List<McqItem> items, Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (McqItem item : items) {
            ObjectNode row = Json.MAPPER.createObjectNode().put("question", item.question());
            item.choices().forEach(row.putArray("choices")::add);
            row.put("answer", item.answer()).put("subject", item.subject());
            lines.append(row).append('\n');
        }
        AtomicFiles.writeString(file, lines.toString());
    }

    private static McqItem item(int index, String question, List<String> choices) {
        return new McqItem(index, question, choices, index % CHOICES, SUBJECT, null, index + 1);
    }

    private List<String> draw(int count) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(pool.get(random.nextInt(pool.size())));
        }
        return words;
    }

    private static String text(List<String> words, int count) {
        return String.join(" ", words.subList(0, count));
    }

    /** The largest k in 1..max with {@code fits(k)}, for a condition that holds up to some k and not after. */
    private static int longest(int max, IntPredicate fits) {
        int lo = 1;
        int hi = max;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (fits.test(mid)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
