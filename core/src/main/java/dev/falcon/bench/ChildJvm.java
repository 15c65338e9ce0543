package dev.falcon.bench;

import dev.falcon.engine.Engine;
import dev.falcon.io.PeakMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A task run in a fresh JVM with the settings of the {@code falcon} launcher ({@link Engine#NATIVE_ENVIRONMENT},
 * {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}), so that its peak memory is its own. The child prints
 * its VmHWM as it exits ({@link PeakMemory#REPORT_PROPERTY}); its output is collected through temporary files.
 */
final class ChildJvm {

    /** The jar's entry point: benchmarks run the command line as a user does. */
    static final String CLI = "dev.falcon.cli.Main";

    private static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    /** How a child ended: exit code, wall time, output lines and the peak it reported (none if it crashed). */
    record Result(String task, int exitCode, double wallSeconds, List<String> stdout, List<String> stderr,
                  OptionalLong peakKib) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The peak in MiB, or NaN when the child reported none. */
        double peakMib() {
            return peakKib.isPresent() ? peakKib.getAsLong() / 1024.0 : Double.NaN;
        }

        /** The last {@code n} lines of stderr, for a failure report. */
        List<String> stderrTail(int n) {
            return stderr.subList(Math.max(0, stderr.size() - n), stderr.size());
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code mainClass} with {@code args} in a JVM of this one's java and classpath with a heap of
     * {@code heapMib}.
     */
    static Result run(String task, String mainClass, long heapMib, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMib + "m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-D" + PeakMemory.REPORT_PROPERTY + "=true"));
        if (System.getProperty(CACHE_DIR_PROPERTY) != null) {
            cmd.add("-D" + CACHE_DIR_PROPERTY + "=" + System.getProperty(CACHE_DIR_PROPERTY));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("falcon-" + task, ".out");
            err = Files.createTempFile("falcon-" + task, ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(Engine.NATIVE_ENVIRONMENT);
            long start = System.nanoTime();
            int code = pb.start().waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            List<String> errLines = lines(err);
            return new Result(task, code, wall, lines(out), errLines, PeakMemory.parseReport(errLines));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + task + " child JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + task + " child JVM ran", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("warning: cannot delete " + file + ": " + e.getMessage());
        }
    }

    /** A progress bar's carriage returns make one physical line of many updates; keep the last of each. */
    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            String[] updates = line.split("\r");
            String last = updates.length == 0 ? "" : updates[updates.length - 1];
            if (!last.isBlank()) {
                out.add(last);
            }
        }
        return out;
    }
}
