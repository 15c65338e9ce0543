package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.checkpoint.HfHubCache;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

/** A --model value: a local path, or a Hugging Face repo id found in the local cache when no such path exists. */
final class ModelPathConverter implements CommandLine.ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        Path path = Path.of(value);
        if (Files.exists(path) || !HfHubCache.isRepoId(value)) {
            return path;
        }
        try {
            return HfHubCache.resolve(value);
        } catch (InputException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
