package dev.falcon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The memory this process's cgroups still let it use: a YARN or Kubernetes container's limit, which
 * MemAvailable (the node's) does not show. Every cgroup from the process's own up to its hierarchy's root that
 * has a limit counts (a pod's limit binds its containers too); in each, the limit less the memory in use, not
 * counting the page cache that can be dropped (as MemAvailable does not count it either). cgroup v2
 * ({@code memory.max}, {@code memory.current}, {@code inactive_file}) and v1's memory controller
 * ({@code memory.limit_in_bytes}, {@code memory.usage_in_bytes}, {@code total_inactive_file}).
 */
final class CgroupMemory {

    /**
     * Where one cgroup version keeps the memory controller's files.
     *
     * @param mount       the hierarchy's folder under /sys/fs/cgroup
     * @param controllers the controller list of its line in /proc/self/cgroup ("" for v2's single hierarchy)
     */
    private record Hierarchy(String mount, String controllers, String limit, String usage, String inactiveFile) {
    }

    private static final List<Hierarchy> HIERARCHIES = List.of(
            new Hierarchy("", "", "memory.max", "memory.current", "inactive_file"),
            new Hierarchy("memory", "memory", "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"));

    private CgroupMemory() {
    }

    /** The least room under any limit, seen from {@code root} ("/": this machine); empty where nothing limits. */
    static OptionalLong room(Path root) {
        List<String> membership = lines(root.resolve("proc/self/cgroup"));
        return HIERARCHIES.stream().flatMapToLong(h -> {
            Path mount = root.resolve("sys/fs/cgroup").resolve(h.mount()).normalize();
            String own = ownPath(membership, h.controllers()).orElse("/");
            return Stream.iterate(mount.resolve(own.substring(1)).normalize(), d -> d != null && d.startsWith(mount),
                    Path::getParent).flatMapToLong(d -> roomIn(d, h).stream());
        }).min();
    }

    /**
     * The path of this process's cgroup in a hierarchy: the third field of the line whose second names its
     * controllers. Inside a container's namespace the path may not exist under the mount; its parents are
     * then tried, up to the mount, which is the container's own cgroup.
     */
    private static Optional<String> ownPath(List<String> membership, String controllers) {
        return membership.stream().map(l -> l.split(":", 3)).filter(f -> f.length == 3 && f[2].startsWith("/"))
                .filter(f -> controllers.isEmpty() ? f[1].isEmpty() && f[0].equals("0")
                        : List.of(f[1].split(",")).contains(controllers))
                .map(f -> f[2]).findFirst();
    }

    /** The limit of the cgroup at {@code dir} less its use, empty when it has no limit ("max", or no file). */
    private static OptionalLong roomIn(Path dir, Hierarchy h) {
        OptionalLong limit = number(dir.resolve(h.limit()));
        if (limit.isEmpty()) {
            return limit;
        }
        long used = number(dir.resolve(h.usage())).orElse(0) - statistic(dir.resolve("memory.stat"), h.inactiveFile());
        return OptionalLong.of(Math.max(0, limit.getAsLong() - Math.max(0, used)));
    }

    /** A file's one number; empty for "max", a negative number or no file. */
    private static OptionalLong number(Path file) {
        List<String> lines = lines(file);
        try {
            long value = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
            return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of {@code key} in memory.stat's "key value" lines; 0 when absent. */
    private static long statistic(Path stat, String key) {
        return lines(stat).stream().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 2 && f[0].equals(key)
                && f[1].matches("[0-9]{1,18}"))
                .mapToLong(f -> Long.parseLong(f[1])).findFirst().orElse(0);
    }

    /** The file's lines; none when it cannot be read (not Linux, no such cgroup). */
    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
