package dev.falcon;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only shared data. Tests that need it are skipped when it is absent, unless
 * {@code -Dfalcon.requireShared=true}, where they fail instead.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The fixture root: property {@code falcon.fixtures}, default {@code ../shared/fixtures}. */
    public static Path fixtures() {
        return existing(Path.of(System.getProperty("falcon.fixtures", "../shared/fixtures")));
    }

    /** The data folder: {@code data} under property {@code falcon.shared}, default {@code ../shared}. */
    public static Path data() {
        return existing(Path.of(System.getProperty("falcon.shared", "../shared")).resolve("data"));
    }

    /** A folder under the fixture root, skipped or failed like the root when absent (older fixture sets). */
    public static Path fixtures(String folder) {
        return existing(fixtures().resolve(folder));
    }

    /** A folder under the data folder, skipped or failed like it when absent. */
    public static Path data(String folder) {
        return existing(data().resolve(folder));
    }

    private static Path existing(Path dir) {
        String message = "shared data not found at " + dir.toAbsolutePath().normalize();
        if (Boolean.getBoolean("falcon.requireShared")) {
            Assertions.assertTrue(Files.isDirectory(dir), message);
        } else {
            Assumptions.assumeTrue(Files.isDirectory(dir), message + "; skipping");
        }
        return dir;
    }
}
