package dev.falcon;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared read-only data. Tests that need it are skipped when it is absent, unless
 * {@code falcon.requireShared=true}, in which case they fail.
 */
public final class SharedData {

    private SharedData() {
    }

    /** Fixture root: system property {@code falcon.fixtures}, default {@code ../shared/fixtures}. */
    public static Path fixtures() {
        return resolve("falcon.fixtures", "../shared/fixtures");
    }

    /** Shared data directory: {@code falcon.shared} (default {@code ../shared}) plus {@code data}. */
    public static Path data() {
        Path shared = resolve("falcon.shared", "../shared");
        return require(shared.resolve("data"), "falcon.shared");
    }

    private static Path resolve(String property, String fallback) {
        return require(Path.of(System.getProperty(property, fallback)), property);
    }

    private static Path require(Path path, String property) {
        String message = "shared data not found at " + path.toAbsolutePath() + " (set -D" + property + ")";
        if (Boolean.getBoolean("falcon.requireShared")) {
            if (!Files.isDirectory(path)) {
                fail(message);
            }
        } else {
            Assumptions.assumeTrue(Files.isDirectory(path), message);
        }
        return path;
    }
}
