package dev.falcon;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only shared data for tests. A missing folder skips the test, unless
 * {@code -Dfalcon.requireShared=true}, where it fails (so a run cannot pass by skipping).
 */
public final class SharedData {

    private SharedData() {}

    /** The reference fixtures folder ({@code falcon.fixtures}, default ../shared/fixtures). */
    public static Path fixtures() {
        return require(Path.of(System.getProperty("falcon.fixtures", "../shared/fixtures")), "falcon.fixtures");
    }

    /** The real-data folder ({@code falcon.shared}/data, default ../shared/data). */
    public static Path data() {
        return require(Path.of(System.getProperty("falcon.shared", "../shared")).resolve("data"), "falcon.shared");
    }

    private static Path require(Path folder, String property) {
        if (!Files.isDirectory(folder)) {
            String problem = "shared data not found at " + folder.toAbsolutePath() + " (set -D" + property + ")";
            if (Boolean.getBoolean("falcon.requireShared")) {
                fail(problem);
            }
            Assumptions.assumeTrue(false, problem);
        }
        return folder;
    }
}
