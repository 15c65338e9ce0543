package dev.falcon.data;

import dev.falcon.InputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Reading data files as text, with every failure reported as an {@link InputException}. */
final class DataFiles {

    private DataFiles() {
    }

    static String readUtf8(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new InputException(file, "not valid UTF-8 text");
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The file name without its last extension: the task name of a data file. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Lower-cased extension without the dot, or "" when there is none. */
    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** Splits text into lines the way a line-oriented reader sees them (\n, \r\n or \r). */
    static String[] lines(String text) {
        return text.split("\r\n|\r|\n", -1);
    }
}
