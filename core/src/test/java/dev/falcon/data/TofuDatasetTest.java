package dev.falcon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TofuDatasetTest {

    @TempDir
    Path dir;

    @Test
    void forgetSetHasParaphraseAndFivePerturbedAnswers() {
        List<TofuItem> items = TofuDataset.read(SharedData.data().resolve("tofu/forget01.json"));
        assertEquals(40, items.size());
        assertTrue(items.stream().allMatch(i -> i.perturbedAnswers().size() == 5 && i.paraphrasedAnswer() != null));
        TofuItem first = items.get(0);
        assertEquals("Basil Mahfouz Al-Kuwaiti is the complete name of the imaginary writer who drew his first "
                + "breath in Kuwait City, Kuwait on September 8, 1956.", first.paraphrasedAnswer());
        assertEquals(2, first.line()); // the file opens with "[" on line 1, the first object's "{" is on line 2
    }

    @Test
    void retainSetHasNoParaphraseAndNoPerturbedAnswers() {
        List<TofuItem> items = TofuDataset.read(SharedData.data().resolve("tofu/retain90.json"));
        assertEquals(3600, items.size());
        assertNull(items.get(0).paraphrasedAnswer());
        assertTrue(items.get(0).perturbedAnswers().isEmpty());
    }

    @Test
    void worldFactsComparesPerturbedAnswersWithTheAnswer() {
        List<TofuItem> items = TofuDataset.read(SharedData.data().resolve("tofu/world_facts_perturbed.json"));
        assertEquals(117, items.size());
        TofuItem first = items.get(0);
        assertEquals("Paris", first.answer());
        assertNull(first.paraphrasedAnswer(), "world facts have no paraphrase");
        assertEquals(List.of("Berlin", "London", "Madrid"), first.perturbedAnswers());
        assertEquals(1, first.line());
    }

    @Test
    void perturbedAnswerThatIsNotAListReportsItsLine() throws IOException {
        Path file = Files.writeString(dir.resolve("t.jsonl"),
                "{\"question\": \"q\", \"answer\": \"a\"}\n{\"question\": \"q\", \"answer\": \"a\", \"perturbed_answer\": \"x\"}\n");
        InputException e = assertThrows(InputException.class, () -> TofuDataset.read(file));
        assertEquals(file + ": line 2: \"perturbed_answer\" must be a list of strings", e.getMessage());
    }

    @Test
    void missingAnswerReportsItsLine() throws IOException {
        Path file = Files.writeString(dir.resolve("t.json"), "[{\"question\": \"q\"}]");
        InputException e = assertThrows(InputException.class, () -> TofuDataset.read(file));
        assertEquals(file + ": line 1: \"question\" and \"answer\" must be strings", e.getMessage());
    }
}
