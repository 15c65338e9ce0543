package dev.falcon.cli;

import dev.falcon.InputException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/** Sizes of memory as the user writes them (--memory 3g), and the default memory budget. */
final class MemorySize {

    /** The share of the available memory that a model's weights get when no --memory is given. */
    static final double DEFAULT_SHARE = 0.25;

    private MemorySize() {
    }

    /** The budget {@code --memory} gives: its size, or without it (null) the default share of this machine's. */
    static long budget(String memory) {
        return memory != null ? parse(memory, "--memory") : defaultBudget(Path.of("/"));
    }

    /** Bytes, or a number with k, m, g or t (KiB, MiB, GiB, TiB; any case, an optional trailing b or ib). */
    static long parse(String text, String option) {
        String s = text.trim().toLowerCase(Locale.ROOT).replaceFirst("i?b$", "");
        int shift = s.isEmpty() ? 0 : switch (s.charAt(s.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String number = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            double value = Double.parseDouble(number);
            if (!(value > 0) || value * Math.pow(2, shift) >= Long.MAX_VALUE || !number.matches("[0-9.]+")) {
                throw new NumberFormatException();
            }
            return (long) (value * Math.pow(2, shift));
        } catch (NumberFormatException e) {
            throw new InputException(option + " must be a positive size such as 3g, 3072m or 3221225472, got '"
                    + text + "'");
        }
    }

    /**
     * A quarter of the memory this process may still take: MemAvailable, or less where a cgroup (a YARN or
     * Kubernetes container) leaves less room under its limit. The rest is left to activations, optimizer state,
     * the JVM, the page cache that streamed blocks are read back from, and other programs. Without
     * /proc/meminfo and cgroup limits (not Linux), no limit.
     *
     * @param root where /proc and /sys are read from ("/": this machine's)
     */
    static long defaultBudget(Path root) {
        OptionalLong available = LongStream.concat(memAvailable(root.resolve("proc/meminfo")).stream(),
                CgroupMemory.room(root).stream()).min();
        return available.isPresent() ? (long) (available.getAsLong() * DEFAULT_SHARE) : Long.MAX_VALUE;
    }

    /** MemAvailable in bytes. */
    private static OptionalLong memAvailable(Path meminfo) {
        return CgroupMemory.lines(meminfo).stream().filter(l -> l.startsWith("MemAvailable:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024L).findFirst();
    }
}
