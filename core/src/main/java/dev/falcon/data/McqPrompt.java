package dev.falcon.data;

import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.PythonWhitespace;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model scores for one question: the context and one continuation per choice, formatted
 * as lm-evaluation-harness 0.4.2 formats its zero-shot tasks. The question is stripped
 * ({@code {{question.strip()}}} in lm-eval's templates), choices are not, and subject
 * underscores become spaces (how lm-eval's _generate_configs.py wrote the MMLU descriptions).
 */
public record McqPrompt(String context, List<String> continuations) {

    /** lm-eval's target_delimiter: what separates each continuation from the context. */
    private static final String DELIMITER = " ";

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
            continuations.add(DELIMITER + letter);
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
        return new McqPrompt(context, item.choices().stream().map(choice -> DELIMITER + choice).toList());
    }

    /**
     * This prompt asked of a chat model, as lm-eval 0.4's --apply_chat_template asks it: the context is
     * the user's one message, rendered with the generation prompt, and the answers follow that prompt
     * without the space that separates them from a plain context (lm-eval's target_delimiter becomes "").
     */
    public McqPrompt inChat(ChatTemplate template) {
        String context = template.render(List.of(ChatTemplate.Message.user(this.context)));
        return new McqPrompt(context, continuations.stream().map(McqPrompt::withoutDelimiter).toList());
    }

    private static String withoutDelimiter(String continuation) {
        return continuation.startsWith(DELIMITER) ? continuation.substring(DELIMITER.length()) : continuation;
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
