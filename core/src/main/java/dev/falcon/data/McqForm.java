package dev.falcon.data;

import dev.falcon.InputException;

import java.util.Locale;
import java.util.function.Function;

/**
 * Which of lm-eval's two multiple-choice prompt forms a question is asked in: lettered choices
 * answered with " A".." D" (MMLU/WMDP's default), or cloze, each answer text scored itself. A small
 * model trained from scratch answers the cloze form long before it learns the lettered one.
 */
public enum McqForm {
    LETTERED(McqPrompt::lettered, McqPrompt::letteredDescription),
    CLOZE(McqPrompt::cloze, McqPrompt::clozeDescription);

    private final Function<McqItem, McqPrompt> format;
    private final Function<McqItem, String> description;

    McqForm(Function<McqItem, McqPrompt> format, Function<McqItem, String> description) {
        this.format = format;
        this.description = description;
    }

    /** The task description that starts the item's context in this form. */
    public String description(McqItem item) {
        return description.apply(item);
    }

    /** The item's prompt in this form. */
    public McqPrompt prompt(McqItem item) {
        return format.apply(item);
    }

    /** "lettered" or "cloze", as results files and the command line name the form. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The form called {@code id}; {@code option} names where it came from in the error. */
    public static McqForm of(String id, String option) {
        for (McqForm f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new InputException(option + " must be lettered or cloze, got '" + id + "'");
    }
}
