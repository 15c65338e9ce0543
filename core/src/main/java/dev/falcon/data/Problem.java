package dev.falcon.data;

import java.nio.file.Path;

/** A malformed row that was skipped, and why. */
public record Problem(Path file, int line, String message) {

    @Override
    public String toString() {
        return file + ": line " + line + ": " + message;
    }
}
