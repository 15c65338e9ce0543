package dev.falcon.data;

/**
 * One training or unlearning text. Question/answer data is rendered as
 * {@code "Question: {q}\nAnswer: {a}"}; {@code prompt} and {@code completion} split that text
 * where the answer starts ({@code text == prompt + completion}), so a trainer can restrict the
 * loss to the answer. Both are null for plain text.
 */
public record Document(String text, String prompt, String completion) {

    public static Document plain(String text) {
        return new Document(text, null, null);
    }

    /** The completion keeps the separating space, as the tokenizer attaches it to the answer. */
    public static Document questionAnswer(String question, String answer) {
        String prompt = "Question: " + question + "\nAnswer:";
        String completion = " " + answer;
        return new Document(prompt + completion, prompt, completion);
    }

    public boolean isQuestionAnswer() {
        return prompt != null;
    }
}
