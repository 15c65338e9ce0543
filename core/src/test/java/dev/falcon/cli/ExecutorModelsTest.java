package dev.falcon.cli;

import dev.falcon.SharedData;
import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.GcgSettings;
import dev.falcon.data.McqForm;
import dev.falcon.engine.DType;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The models an executor keeps open, shared by scoring tasks and attack cells: every attack that copies or
 * trains weights (relearning, unrelated fine-tuning, quantization), reads activations (direction ablation, with
 * the original beside the model; the logit lens) or takes gradients (GCG) leaves the cached model as the
 * checkpoint holds it, so a cell run again on the same executor (a retry) measures the same curve. Stories260K
 * as the model, and converted to a Hugging Face folder as the "original" (another path: a second model to open).
 */
class ExecutorModelsTest {

    @TempDir
    static Path tmp;

    private static ScoringModel model;
    private static ScoringModel original;
    private static String questions;
    private static AuditCommand.Texts texts;

    @BeforeAll
    static void models() throws IOException {
        Path stories = SharedData.data().resolve("models/stories260K");
        String tokenizer = stories.resolve("tok512.bin").toString();
        Path hf = tmp.resolve("stories-hf");
        assertEquals(0, Main.run("convert", "--model", stories.resolve("stories260K.bin").toString(), "--tokenizer",
                tokenizer, "--out", hf.toString()));
        model = new ScoringModel(stories.resolve("stories260K.bin").toString(), tokenizer, DType.F32, null, false, 8);
        original = new ScoringModel(hf.toString(), tokenizer, DType.F32, null, false, 8);
        Path mcq = tmp.resolve("questions.jsonl");
        Files.writeString(mcq, """
                {"question": "Where did the cat sit?", "choices": ["mat", "tree", "car", "sky"], "answer": 0}
                {"question": "What color was the stone?", "choices": ["red", "blue", "green", "black"], "answer": 1}
                {"question": "Who went to the park?", "choices": ["Tom", "Lily", "the dog", "Mom"], "answer": 0}
                {"question": "What did Lily find?", "choices": ["a ball", "a stone", "a cake", "a toy"], "answer": 1}
                {"question": "Where was the bird?", "choices": ["in a tree", "on a car", "in a box", "at sea"], "answer": 0}
                """);
        questions = mcq.toString();
        Path forget = tmp.resolve("forget.txt");
        Files.writeString(forget, "The cat sat on the mat.\nLily found a blue stone.\nTom ran to the park.\n");
        Path retain = tmp.resolve("retain.txt");
        Files.writeString(retain, "The sun was hot.\nMom baked a big cake.\nThe dog slept all day.\n");
        texts = new AuditCommand.Texts(forget.toString(), retain.toString());
    }

    @Test
    void cellsLeaveTheCachedModelsAsReadAndMeasureTheSameCurveAgain() {
        // GCG at a size that takes a second: 4 suffix tokens, 8 candidates, 2 held-out questions
        AttackSettings settings = new AttackSettings(AttackSettings.defaults().withFineTuneLr(1e-3).fineTune(),
                AttackSettings.defaults().quantize(), AttackSettings.defaults().fewShot(),
                AttackSettings.defaults().ablation(), new GcgSettings(4, 8, 8, 2, 0));
        LlamaModel cached = ExecutorModels.with(model, s -> s.model());
        // direction-ablation last, so that both models are still the cached ones when compared
        List<AttackCell> cells = List.of(cell("relearn", settings, "2x0", "2x3"),
                cell("finetune-unrelated", settings, "3x2"), cell("quantize", settings, "full", "4-nf4"),
                cell("logit-lens", settings, "0", "4"), cell("gcg", settings, "0", "1"),
                cell("direction-ablation", settings, "0", "1"));
        for (AttackCell c : cells) {
            AttackCurve first = c.call();
            assertEquals(first, c.call(), c.attack() + " again on the same executor");
        }
        assertEquals(Set.of(model, original), ExecutorModels.open());
        ExecutorModels.with(List.of(model, original), scorers -> {
            assertSame(cached, scorers.get(0).model(), "the model every cell used");
            assertParamsAsRead(model, scorers.get(0).model());
            assertParamsAsRead(original, scorers.get(1).model());
            return null;
        });
    }

    @Test
    void theLatestTaskModelsStayOpenAndOthersAreClosed() {
        LlamaModel opened = ExecutorModels.with(model, s -> s.model());
        assertSame(opened, ExecutorModels.with(model, s -> s.model()), "the model kept across tasks");
        cell("direction-ablation", AttackSettings.defaults(), "0").call();
        assertEquals(Set.of(model, original), ExecutorModels.open(), "the original opened beside the model");
        assertSame(opened, ExecutorModels.with(model, s -> s.model()));
        assertEquals(Set.of(model), ExecutorModels.open(), "the original closed for a task that needs the model alone");
        ExecutorModels.with(original, s -> s.model());
        assertEquals(Set.of(original), ExecutorModels.open());
    }

    private static AttackCell cell(String attack, AttackSettings settings, String... budgets) {
        return new AttackCell(model, original, false, attack, settings, List.of(budgets), McqForm.LETTERED, questions,
                texts);
    }

    /** Every parameter of {@code cached} equals the checkpoint's, read afresh. */
    private static void assertParamsAsRead(ScoringModel m, LlamaModel cached) {
        try (ScoringModel.Opened fresh = m.open()) {
            LlamaModel read = fresh.scorer().model();
            for (String name : read.paramNames()) {
                assertArrayEquals(read.param(name).toFloats(), cached.param(name).toFloats(), name);
            }
        }
    }
}
