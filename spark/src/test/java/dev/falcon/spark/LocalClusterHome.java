package dev.falcon.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Spark home for local-cluster masters made of this test JVM's class path, so that they start from Maven
 * artifacts alone: a local-cluster master runs standalone workers in this JVM, and each worker launches its
 * executors as JVMs of their own, with the class path {@code SPARK_HOME/jars/*} plus
 * {@code spark.executor.extraClassPath}. SPARK_HOME is set for the tests (spark/pom.xml, surefire); here its
 * jars/ gets a link to every jar on the class path, and the class folders (this module's, and the core's in a
 * reactor build) are returned for extraClassPath.
 */
final class LocalClusterHome {

    private LocalClusterHome() {
    }

    /** Fills SPARK_HOME/jars; the class path's folders, for spark.executor.extraClassPath. */
    static String prepare() throws IOException {
        String home = System.getenv("SPARK_HOME");
        assumeTrue(home != null, "SPARK_HOME is not set (spark/pom.xml sets it for the tests); skipping");
        Path jars = Path.of(home, "jars");
        Files.createDirectories(jars);
        try (Stream<Path> stale = Files.list(jars)) {
            for (Path link : stale.toList()) {
                Files.delete(link);
            }
        }
        List<String> folders = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(path)) {
                folders.add(path.toString());
            } else if (entry.endsWith(".jar")) {
                Files.createSymbolicLink(jars.resolve(path.getFileName()), path);
            }
        }
        return String.join(File.pathSeparator, folders);
    }
}
