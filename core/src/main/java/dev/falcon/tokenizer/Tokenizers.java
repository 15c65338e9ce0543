package dev.falcon.tokenizer;

import dev.falcon.InputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a tokenizer by what the path is. */
public final class Tokenizers {

    private Tokenizers() {}

    /**
     * A tokenizer.json file, or a folder holding one: {@link HfTokenizer}; a llama2.c .bin file:
     * {@link Llama2cTokenizer} with the vocabulary size read from the file. Close the result.
     */
    public static Tokenizer load(Path path) {
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("tokenizer.json"))) {
                throw new InputException(path, "folder holds no tokenizer.json");
            }
            return HfTokenizer.load(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new InputException(path, "no such file or folder");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".json")) {
            return HfTokenizer.load(path);
        }
        if (name.endsWith(".bin")) {
            return Llama2cTokenizer.load(path);
        }
        throw new InputException(path, "unknown tokenizer format: expected a tokenizer.json, a folder holding one,"
                + " or a llama2.c tokenizer .bin");
    }
}
