package dev.falcon.checkpoint;

import dev.falcon.InputException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a checkpoint of either supported format, chosen from the path. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /**
     * A folder (or a file inside one) with config.json is a Hugging Face checkpoint; a file ending
     * in .bin is a llama2.c checkpoint.
     */
    public static WeightSource open(Path path) {
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve(HfConfig.CONFIG_FILE))) {
                throw new InputException(path, "folder has no " + HfConfig.CONFIG_FILE
                        + " (expected a Hugging Face model folder)");
            }
            return HfCheckpoint.open(path);
        }
        if (!Files.exists(path)) {
            throw new InputException(path, "model not found");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".bin")) {
            return Llama2cCheckpoint.open(path);
        }
        if (name.endsWith(".safetensors") || name.equals(HfConfig.CONFIG_FILE)) {
            return open(path.toAbsolutePath().getParent());
        }
        throw new InputException(path, "unrecognised model format (expected a Hugging Face folder with "
                + "config.json, or a llama2.c .bin checkpoint)");
    }
}
