package dev.falcon.data;

import java.util.Locale;
import java.util.function.Function;

/**
 * Which of lm-eval's two multiple-choice prompt forms a question is asked in: lettered choices
 * answered with " A".." D" (MMLU/WMDP's default), or cloze, each answer text scored itself. A small
 * model trained from scratch answers the cloze form long before it learns the lettered one.
 */
public enum McqForm {
    LETTERED(McqPrompt::lettered),
    CLOZE(McqPrompt::cloze);

    private final Function<McqItem, McqPrompt> format;

    McqForm(Function<McqItem, McqPrompt> format) {
        this.format = format;
    }

    /** The item's prompt in this form. */
    public McqPrompt prompt(McqItem item) {
        return format.apply(item);
    }

    /** "lettered" or "cloze", as results files and the command line name the form. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
