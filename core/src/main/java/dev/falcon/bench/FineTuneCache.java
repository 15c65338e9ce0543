package dev.falcon.bench;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.io.AtomicFiles;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpoint;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.io.OutputFolder;
import dev.falcon.io.Sha256;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.train.TrainSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bench's fine-tuned models kept as Hugging Face folders under one directory, so that a run
 * whose fine-tuning recipe is unchanged skips straight to unlearning. Training is deterministic
 * for a recipe, so a model is found by a hash of everything that determines it: the base
 * checkpoint's bytes, the training settings and every training document in order. The recipe text
 * is stored beside the weights and compared on reading, so a hash collision cannot return the
 * wrong model.
 */
public final class FineTuneCache {

    /** The recipe a cached folder was trained with, in words. */
    static final String RECIPE_FILE = "tofu-recipe.txt";

    private final Path root;

    public FineTuneCache(Path root) {
        this.root = root;
    }

    /** The text identifying a fine-tuned model: base weights' SHA-256, the settings, the documents. */
    public static String recipe(Path baseCheckpoint, TrainSettings settings, List<Document> documents) {
        StringBuilder out = new StringBuilder();
        out.append("base sha256 ").append(Sha256.of(baseCheckpoint)).append('\n');
        out.append(settings).append('\n');
        for (Document d : documents) {
            // The prompt decides which tokens carry the loss, so it belongs to the recipe with the text.
            out.append(d.prompt() == null ? 0 : d.prompt().length()).append(' ').append(d.text()).append('\n');
        }
        return out.toString();
    }

    /** The folder a recipe's model lives in: tofu-LABEL-HASH. */
    public Path folder(String label, String recipe) {
        String hash = Sha256.of(recipe).substring(0, 16);
        return root.resolve("tofu-" + label + "-" + hash);
    }

    /** The model trained with {@code recipe}, if this cache holds it. */
    public Optional<LlamaModel> find(String label, String recipe) {
        Path dir = folder(label, recipe);
        Path recipeFile = dir.resolve(RECIPE_FILE);
        if (!Files.isRegularFile(recipeFile)) {
            return Optional.empty();
        }
        try {
            if (!Files.readString(recipeFile, StandardCharsets.UTF_8).equals(recipe)) {
                throw new InputException(recipeFile, "holds another recipe under the same hash; delete " + dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (HfCheckpoint source = HfCheckpoint.open(dir)) {
            return Optional.of(ModelLoader.load(source, DType.F32));
        }
    }

    /** Stores {@code model} as the result of {@code recipe}; the folder appears whole or not at all. */
    public void put(String label, String recipe, LlamaModel model) {
        try {
            OutputFolder.write(folder(label, recipe), dir -> {
                HfCheckpointWriter.write(model, null, Set.of(), DType.F32, Map.of("falcon", "tofu-bench"), dir);
                AtomicFiles.writeString(dir.resolve(RECIPE_FILE), recipe);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
