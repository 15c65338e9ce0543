package dev.falcon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The default memory budget, a quarter of the smaller of MemAvailable and the room under the process's cgroup
 * limits, read from /proc and /sys/fs/cgroup files laid out under a temporary root as a node, a Kubernetes
 * container (cgroup v2) and a YARN container (cgroup v1) show them.
 */
class MemorySizeTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    /** What cgroup v1 reports as "no limit": the largest long rounded down to a 4 KiB page. */
    private static final String V1_UNLIMITED = "9223372036854771712";

    @TempDir
    Path root;

    @Test
    void aNodeWithoutCgroupLimitsGetsAQuarterOfMemAvailable() throws IOException {
        meminfo(8 * GIB);
        write("proc/self/cgroup", "0::/user.slice/user-0.slice/session-3.scope\n");
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
        write("sys/fs/cgroup/user.slice/memory.max", "max\n");
        write("sys/fs/cgroup/user.slice/memory.current", "123456789\n");
        assertEquals(2 * GIB, MemorySize.defaultBudget(root));
    }

    /** Limit 2 GiB, 1 GiB in use of which 256 MiB droppable page cache: 1.25 GiB of room, budget 320 MiB. */
    @Test
    void aKubernetesContainerGetsAQuarterOfTheRoomUnderItsLimit() throws IOException {
        meminfo(8 * GIB);
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/memory.max", Long.toString(2 * GIB));
        write("sys/fs/cgroup/memory.current", Long.toString(GIB));
        write("sys/fs/cgroup/memory.stat", "anon 700000000\nfile 300000000\ninactive_file " + 256 * MIB
                + "\nactive_file 1000\n");
        assertEquals(320 * MIB, MemorySize.defaultBudget(root));
    }

    /** The pod's 3 GiB limit binds its container's 6 GiB one: 3 GiB less 1 GiB in use. */
    @Test
    void aParentCgroupLimitBindsToo() throws IOException {
        meminfo(64 * GIB);
        String pod = "sys/fs/cgroup/kubepods.slice/kubepods-pod1.slice/";
        write("proc/self/cgroup", "0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-abc.scope\n");
        write(pod + "memory.max", Long.toString(3 * GIB));
        write(pod + "memory.current", Long.toString(GIB));
        write(pod + "cri-containerd-abc.scope/memory.max", Long.toString(6 * GIB));
        write(pod + "cri-containerd-abc.scope/memory.current", Long.toString(GIB));
        assertEquals(512 * MIB, MemorySize.defaultBudget(root));
    }

    /** YARN's container cgroup (v1, no namespace): 4 GiB limit, 3 GiB used; the hierarchy's root is unlimited. */
    @Test
    void aYarnContainerOnCgroupV1() throws IOException {
        meminfo(32 * GIB);
        write("proc/self/cgroup", "12:pids:/hadoop-yarn/container_01\n5:cpu,cpuacct:/hadoop-yarn/container_01\n"
                + "4:memory:/hadoop-yarn/container_01\n1:name=systemd:/hadoop-yarn/container_01\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", V1_UNLIMITED);
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", Long.toString(20 * GIB));
        write("sys/fs/cgroup/memory/hadoop-yarn/container_01/memory.limit_in_bytes", Long.toString(4 * GIB));
        write("sys/fs/cgroup/memory/hadoop-yarn/container_01/memory.usage_in_bytes", Long.toString(3 * GIB));
        write("sys/fs/cgroup/memory/hadoop-yarn/container_01/memory.stat", "cache 100\ntotal_inactive_file 0\n");
        assertEquals(256 * MIB, MemorySize.defaultBudget(root));
    }

    /**
     * A Docker container on cgroup v1 without a cgroup namespace: /proc/self/cgroup names the host's path, which
     * its own mount does not have; the mount's root is the container's cgroup.
     */
    @Test
    void aContainerMountIsItsOwnCgroup() throws IOException {
        meminfo(16 * GIB);
        write("proc/self/cgroup", "9:memory:/docker/0123abcd\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", Long.toString(GIB));
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", Long.toString(GIB + 1));
        assertEquals(0, MemorySize.defaultBudget(root), "used past the limit: no room");
    }

    /** MemAvailable smaller than the container's room wins. */
    @Test
    void memAvailableBelowTheRoomWins() throws IOException {
        meminfo(GIB);
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/memory.max", Long.toString(8 * GIB));
        write("sys/fs/cgroup/memory.current", "0");
        assertEquals(256 * MIB, MemorySize.defaultBudget(root));
    }

    @Test
    void withoutProcOrCgroupsThereIsNoLimit() {
        assertEquals(Long.MAX_VALUE, MemorySize.defaultBudget(root));
    }

    private void meminfo(long available) throws IOException {
        write("proc/meminfo", "MemTotal:       " + (available / 1024 * 2) + " kB\nMemFree:         1000 kB\n"
                + "MemAvailable:   " + available / 1024 + " kB\n");
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
