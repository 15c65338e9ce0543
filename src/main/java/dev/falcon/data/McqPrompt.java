package dev.falcon.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model scores for one question: the context and one continuation per choice, formatted
 * as lm-evaluation-harness 0.4.2 formats its zero-shot tasks. The question is stripped
 * ({@code {{question.strip()}}} in lm-eval's templates), choices are not, and subject
 * underscores become spaces (how lm-eval's _generate_configs.py wrote the MMLU descriptions).
 */
public record McqPrompt(String context, List<String> continuations) {

    public McqPrompt {
        continuations = List.copyOf(continuations);
    }

    /**
     * The MMLU/WMDP "default" form: lettered choices, continuations " A", " B", ... From lm-eval
     * mmlu/default/_default_template_yaml and the per-subject description
     * "The following are multiple choice questions (with answers) about {subject}.\n\n".
     */
    public static McqPrompt lettered(McqItem item) {
        StringBuilder context = new StringBuilder(letteredDescription(item))
                .append(PythonWhitespace.strip(item.question()));
        List<String> continuations = new ArrayList<>();
        for (int i = 0; i < item.choices().size(); i++) {
            char letter = (char) ('A' + i);
            context.append('\n').append(letter).append(". ").append(item.choices().get(i));
            continuations.add(" " + letter);
        }
        context.append("\nAnswer:");
        return new McqPrompt(context.toString(), continuations);
    }

    /**
     * The cloze form, lm-eval's mmlu "continuation" variant: each answer text is scored itself.
     * Context "The following are questions (with answers) about {subject}.\n\nQuestion: {q}\nAnswer:",
     * continuations " {choice}".
     */
    public static McqPrompt cloze(McqItem item) {
        String context = clozeDescription(item) + "Question: " + PythonWhitespace.strip(item.question())
                + "\nAnswer:";
        return new McqPrompt(context, item.choices().stream().map(choice -> " " + choice).toList());
    }

    /** The lettered form's task description, the start of its context (lm-eval writes it once before few-shot shots). */
    public static String letteredDescription(McqItem item) {
        return "The following are multiple choice questions (with answers) about " + subjectText(item) + ".\n\n";
    }

    /** The cloze form's task description, the start of its context. */
    public static String clozeDescription(McqItem item) {
        return "The following are questions (with answers) about " + subjectText(item) + ".\n\n";
    }

    private static String subjectText(McqItem item) {
        return item.subject().replace('_', ' ');
    }
}
