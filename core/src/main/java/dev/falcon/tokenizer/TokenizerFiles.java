package dev.falcon.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies a model's tokenizer into an output Hugging Face folder. */
public final class TokenizerFiles {

    /** The files transformers' AutoTokenizer reads, copied when present beside tokenizer.json. */
    private static final String[] HF_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "tokenizer.model", "generation_config.json"};

    private TokenizerFiles() {
    }

    /**
     * From a tokenizer.json (or its folder): it and its companion files. From a llama2.c tokenizer:
     * an equivalent tokenizer.json (the exporter refuses vocabularies it cannot express exactly).
     */
    public static void copy(Path tokenizer, Path dir) throws IOException {
        if (tokenizer.getFileName().toString().endsWith(".bin")) {
            TokenizerJsonExporter.export(Llama2cTokenizer.load(tokenizer), dir);
            return;
        }
        Path source = tokenizer;
        if (!Files.isDirectory(tokenizer)) {
            Files.copy(tokenizer, dir.resolve("tokenizer.json"));
            source = tokenizer.toAbsolutePath().getParent();
        }
        for (String name : HF_FILES) {
            Path f = source.resolve(name);
            if (Files.isRegularFile(f) && !Files.exists(dir.resolve(name))) {
                Files.copy(f, dir.resolve(name));
            }
        }
    }
}
