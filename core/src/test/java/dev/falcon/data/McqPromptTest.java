package dev.falcon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.falcon.tokenizer.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expected strings are written out from lm-eval's templates: mmlu/default/_default_template_yaml
 * ("{{question.strip()}}\nA. {{choices[0]}}...\nAnswer:", choices "A".."D" after the default
 * target delimiter " "), the per-subject description, and mmlu/continuation for the cloze form.
 */
class McqPromptTest {

    private static McqItem item(String question, String subject) {
        return new McqItem(0, question, List.of("0", "1", "2", "3"), 1, subject, Path.of("x.jsonl"), 1);
    }

    @Test
    void letteredPromptMatchesLmEvalMmlu() {
        // The first question of MMLU's abstract_algebra dev split.
        McqPrompt prompt = McqPrompt.lettered(item("Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.",
                "abstract_algebra"));
        assertEquals("The following are multiple choice questions (with answers) about abstract algebra.\n\n"
                + "Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.\nA. 0\nB. 1\nC. 2\nD. 3\nAnswer:",
                prompt.context());
        assertEquals(List.of(" A", " B", " C", " D"), prompt.continuations());
    }

    @Test
    void questionIsStrippedAsPythonStripsButChoicesAreNot() {
        // U+00A0 is whitespace to Python's str.strip() but not to Java's Character.isWhitespace.
        McqItem item = new McqItem(0, "\u00a0 Which?\n", List.of(" x", "y "), 0, "formal_logic", Path.of("f"), 1);
        assertEquals("The following are multiple choice questions (with answers) about formal logic.\n\n"
                + "Which?\nA.  x\nB. y \nAnswer:", McqPrompt.lettered(item).context());
    }

    @Test
    void wmdpItemWithoutSubjectUsesTheTaskDescription() {
        McqItem item = item("What is X?", McqDataset.defaultSubject("wmdp_bio"));
        assertEquals("The following are multiple choice questions (with answers) about biology.\n\n"
                + "What is X?\nA. 0\nB. 1\nC. 2\nD. 3\nAnswer:", McqPrompt.lettered(item).context());
    }

    @Test
    void clozePromptScoresTheChoiceTexts() {
        McqPrompt prompt = McqPrompt.cloze(item(" What is 1? ", "abstract_algebra"));
        assertEquals("The following are questions (with answers) about abstract algebra.\n\n"
                + "Question: What is 1?\nAnswer:", prompt.context());
        assertEquals(List.of(" 0", " 1", " 2", " 3"), prompt.continuations());
    }

    @Test
    void inChatTheContextIsTheUsersMessageAndAnswersFollowTheGenerationPromptWithoutTheSpace(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}"
                + "<{{ m.role }}>{{ m.content }}</{{ m.role }}>{% endfor %}{% if add_generation_prompt %}<assistant>"
                + "{% endif %}\"}");
        ChatTemplate template = ChatTemplate.find(dir).orElseThrow();
        McqItem item = item("What is X?", "x");
        McqPrompt chat = McqPrompt.lettered(item).inChat(template);
        assertEquals("<user>" + McqPrompt.lettered(item).context() + "</user><assistant>", chat.context());
        assertEquals(List.of("A", "B", "C", "D"), chat.continuations());
        assertEquals(List.of("0", "1", "2", "3"), McqPrompt.cloze(item).inChat(template).continuations());
    }
}
