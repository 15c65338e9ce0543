package dev.falcon;

import java.nio.file.Path;

/**
 * A problem with something the user gave us (a file, an option, a config value). The CLI prints
 * its message as one line and exits non-zero; the stack trace is shown only with --verbose.
 */
public class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file: problem", the shape every file error takes. */
    public InputException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
