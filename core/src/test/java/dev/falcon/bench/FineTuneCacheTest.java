package dev.falcon.bench;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TinyModels;
import dev.falcon.train.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTuneCacheTest {

    private static final TrainSettings SETTINGS = new TrainSettings(30, 0, 3e-3, 8, 0.05,
            LearningRateSchedule.Shape.COSINE, 256, 42, 1.0, 0.0);
    private static final List<Document> DOCS = List.of(Document.questionAnswer("Who?", "Ann."),
            Document.plain("Some text."));

    @Test
    void storedModelReadsBackWithIdenticalWeights(@TempDir Path dir) throws IOException {
        FineTuneCache cache = new FineTuneCache(dir);
        String recipe = FineTuneCache.recipe(base(dir, "weights"), SETTINGS, DOCS);
        assertTrue(cache.find("fine-tuned", recipe).isEmpty());
        LlamaModel model = TinyModels.create(7);
        cache.put("fine-tuned", recipe, model);
        LlamaModel back = cache.find("fine-tuned", recipe).orElseThrow();
        assertEquals(model.paramNames(), back.paramNames());
        for (String name : model.paramNames()) {
            assertArrayEquals(model.param(name).toFloats(), back.param(name).toFloats(), name);
        }
        // the same recipe under another label is another model (the reference is not the fine-tuned model)
        assertTrue(cache.find("reference", recipe).isEmpty());
    }

    @Test
    void recipeChangesWithBaseWeightsSettingsDocumentsAndLossSplit(@TempDir Path dir) throws IOException {
        String recipe = FineTuneCache.recipe(base(dir, "weights"), SETTINGS, DOCS);
        assertEquals(recipe, FineTuneCache.recipe(base(dir, "weights"), SETTINGS, DOCS));
        assertNotEquals(recipe, FineTuneCache.recipe(base(dir, "weightz"), SETTINGS, DOCS));
        TrainSettings shorter = new TrainSettings(30, 0, 3e-3, 8, 0.05, LearningRateSchedule.Shape.COSINE, 128,
                42, 1.0, 0.0);
        assertNotEquals(recipe, FineTuneCache.recipe(base(dir, "weights"), shorter, DOCS));
        assertNotEquals(recipe, FineTuneCache.recipe(base(dir, "weights"), SETTINGS, DOCS.subList(0, 1)));
        // the same text trained as plain text puts the loss on the question too: another model
        Document qa = DOCS.get(0);
        List<Document> plain = List.of(Document.plain(qa.text()), DOCS.get(1));
        assertNotEquals(recipe, FineTuneCache.recipe(base(dir, "weights"), SETTINGS, plain));
    }

    @Test
    void folderHoldingAnotherRecipeIsReportedNotLoaded(@TempDir Path dir) throws IOException {
        FineTuneCache cache = new FineTuneCache(dir);
        String recipe = FineTuneCache.recipe(base(dir, "weights"), SETTINGS, DOCS);
        cache.put("fine-tuned", recipe, TinyModels.create(7));
        Path recipeFile = cache.folder("fine-tuned", recipe).resolve(FineTuneCache.RECIPE_FILE);
        Files.writeString(recipeFile, "something else");
        InputException e = assertThrows(InputException.class, () -> cache.find("fine-tuned", recipe));
        assertTrue(e.getMessage().startsWith(recipeFile + ": holds another recipe"), e.getMessage());
    }

    private static Path base(Path dir, String content) throws IOException {
        return Files.writeString(dir.resolve("base-" + content + ".bin"), content);
    }
}
