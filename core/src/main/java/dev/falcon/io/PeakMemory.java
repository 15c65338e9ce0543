package dev.falcon.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's peak resident memory: Linux's VmHWM ("high water mark") from /proc/self/status, which
 * counts the Java heap, native tensors and the resident pages of memory-mapped files alike. A child JVM
 * started with {@code -D}{@value #REPORT_PROPERTY}{@code =true} prints it on one line of stderr as it exits,
 * for the parent to {@link #parseReport parse}.
 */
public final class PeakMemory {

    /** The system property that asks the command line to print {@link #reportLine} before it exits. */
    public static final String REPORT_PROPERTY = "falcon.reportPeakMemory";

    private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s*(\\d+)\\s*kB\\s*$");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s*(\\d+)\\s*kB\\s*$");
    private static final String REPORT_PREFIX = "falcon-peak-memory: VmHWM ";
    private static final Pattern REPORT = Pattern.compile("^" + REPORT_PREFIX + "(\\d+) kB$");

    private PeakMemory() {
    }

    /** VmHWM in KiB from the text of a /proc/PID/status file; empty when the field is missing. */
    public static OptionalLong vmHwmKib(String procStatus) {
        return kib(VM_HWM, procStatus);
    }

    /** VmRSS (resident now, mapped files included) in KiB from the text of a /proc/PID/status file. */
    public static OptionalLong vmRssKib(String procStatus) {
        return kib(VM_RSS, procStatus);
    }

    /** This process's VmHWM in KiB; empty where there is no /proc (not Linux). */
    public static OptionalLong ownPeakKib() {
        return ownStatus(VM_HWM);
    }

    /** This process's {@link #vmRssKib VmRSS}; empty where there is no /proc (not Linux). */
    public static OptionalLong ownResidentKib() {
        return ownStatus(VM_RSS);
    }

    private static OptionalLong ownStatus(Pattern field) {
        try {
            return kib(field, Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong kib(Pattern field, String procStatus) {
        Matcher m = field.matcher(procStatus);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The line a child prints: {@code falcon-peak-memory: VmHWM 123456 kB}. */
    public static String reportLine(long kib) {
        return REPORT_PREFIX + kib + " kB";
    }

    /** The peak a child reported on one of {@code lines} (the last report wins); empty when none did. */
    public static OptionalLong parseReport(List<String> lines) {
        OptionalLong found = OptionalLong.empty();
        for (String line : lines) {
            Matcher m = REPORT.matcher(line.strip());
            if (m.matches()) {
                found = OptionalLong.of(Long.parseLong(m.group(1)));
            }
        }
        return found;
    }

    /** Prints this process's {@link #reportLine} to {@code err} if the system property asks for it. */
    public static void reportIfRequested(PrintStream err) {
        if (Boolean.getBoolean(REPORT_PROPERTY)) {
            ownPeakKib().ifPresent(kib -> err.println(reportLine(kib)));
        }
    }
}
