package dev.falcon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test's own main class run in a fresh JVM of this one's java and class path, for what the test JVM's history
 * would spoil: its peak memory, glibc's free lists.
 */
public final class FreshJvm {

    private FreshJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmOptions}, {@code environment} added to this one's, and {@code args};
     * asserts that it exits with 0 (its output as the message) and returns its last line of output.
     */
    public static String lastLine(List<String> jvmOptions, Map<String, String> environment, Class<?> main,
                                  String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }
}
