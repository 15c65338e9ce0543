package dev.falcon;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the shared read-only data lives. Tests skip when it is absent, unless
 * {@code -Dfalcon.requireShared=true}, where its absence is a failure.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path fixtures() {
        return existing(Path.of(System.getProperty("falcon.fixtures", "../shared/fixtures")), "falcon.fixtures");
    }

    public static Path data() {
        return existing(Path.of(System.getProperty("falcon.shared", "../shared")).resolve("data"), "falcon.shared");
    }

    private static Path existing(Path path, String property) {
        if (!Files.isDirectory(path)) {
            String message = path + " not found (set -D" + property + ")";
            if (Boolean.getBoolean("falcon.requireShared")) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return path;
    }
}
