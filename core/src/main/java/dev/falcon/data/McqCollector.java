package dev.falcon.data;

import dev.falcon.tokenizer.PythonWhitespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Validates candidate rows from any MCQ format, keeping the good ones and recording the bad. */
final class McqCollector {

    /** A lettered prompt has one letter per choice. */
    static final int MAX_CHOICES = 26;

    final List<McqItem> items = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    void problem(Path file, int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    /**
     * Adds the row as an item, or records why it cannot be one. {@code choices} may hold nulls for
     * missing values; {@code answer} is the raw answer text.
     */
    void add(Path file, int line, String question, List<String> choices, String answer, String subject) {
        String problem = check(question, choices);
        if (problem != null) {
            problem(file, line, problem);
            return;
        }
        Integer index = parseAnswer(answer);
        if (index == null) {
            problem(file, line, answer == null ? "missing answer" : "answer is not an integer: " + answer);
        } else if (index < 0 || index >= choices.size()) {
            problem(file, line, "answer " + index + " is out of range 0.." + (choices.size() - 1));
        } else {
            items.add(new McqItem(items.size(), question, choices, index, subject, file, line));
        }
    }

    private static String check(String question, List<String> choices) {
        if (question == null || PythonWhitespace.strip(question).isEmpty()) {
            return "empty question";
        }
        if (choices == null) {
            return "missing choices";
        }
        if (choices.size() < 2) {
            return "too few choices (" + choices.size() + ")";
        }
        if (choices.size() > MAX_CHOICES) {
            return "too many choices (" + choices.size() + ", at most " + MAX_CHOICES + ")";
        }
        int missing = choices.indexOf(null);
        return missing >= 0 ? "missing choice " + missing : null;
    }

    private static Integer parseAnswer(String answer) {
        if (answer == null) {
            return null;
        }
        try {
            return Integer.valueOf(answer.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
