package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A server's CPU time in nanoseconds, from a cgroup of its own: cgroup v1's {@code cpuacct.usage}, which
 * the scheduler keeps exactly, for every thread of the group, those that have ended included. The kernel's
 * other per-process clock, {@code /proc/PID/stat}, counts whole ticks of 10 ms, and over a window of half a
 * second that rounding alone is a few percent. Creating the group needs root and a cgroup v1 {@code cpuacct}
 * hierarchy; where either is missing, {@link #join} says why and the caller keeps the tick clock.
 *
 * <p>Groups are made under {@code <hierarchy>/<this process's group>/echolab/<server pid>} and removed when
 * the server has ended; a group left by a tool that was killed is removed by the next one, once empty.
 */
public final class CpuCgroup implements AutoCloseable {

    /** A group joined, or why none was: the fallback's reason, said once per run. */
    public record Joined(CpuCgroup group, String whyNot) {
    }

    private final Path dir;

    private CpuCgroup(Path dir) {
        this.dir = dir;
    }

    /** Moves every thread of {@code pid} into a new group of its own; the group, or why it could not be made. */
    public static Joined join(long pid) {
        Path parent;
        try {
            parent = parentGroup();
        } catch (IOException e) {
            return new Joined(null, e.getMessage());
        }
        sweep(parent);
        Path dir = parent.resolve(Long.toString(pid));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));   // v1: the whole thread group moves
            CpuCgroup group = new CpuCgroup(dir);
            group.nanos();
            return new Joined(group, null);
        } catch (IOException | RuntimeException e) {
            remove(dir);
            return new Joined(null, "cannot use a cgroup at " + dir + " (" + e.getMessage() + "; it needs root)");
        }
    }

    /** The group's folder in the cgroup hierarchy. */
    Path dir() {
        return dir;
    }

    /** The CPU time of every thread that has been in the group, in nanoseconds; -1 when it cannot be read. */
    public long nanos() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("cpuacct.usage")).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Removes the group; call once the server has ended. The kernel lets go of an ended process's group a
     * moment after the process is reaped, so this tries for up to a second; a group still busy after that
     * is removed by the next run's sweep.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (remove(dir) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code <cpuacct hierarchy>/<this process's group>/echolab}, from /proc/self/mounts and /proc/self/cgroup. */
    private static Path parentGroup() throws IOException {
        String mount = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[2].equals("cgroup") && List.of(f[3].split(",")).contains("cpuacct")) {
                mount = f[1];
            }
        }
        if (mount == null) {
            throw new IOException("no cgroup v1 cpuacct hierarchy is mounted");
        }
        String own = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("cpuacct")) {
                own = f[2];
            }
        }
        return Path.of(mount, own.substring(1)).resolve("echolab");
    }

    /** Removes the groups of servers that have ended (left by a tool that was killed before it could). */
    private static void sweep(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(parent, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path g : groups) {
                if (ProcessHandle.of(Long.parseLong(g.getFileName().toString())).isEmpty()) {
                    remove(g);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a group that cannot be listed or removed now is tried again by the next run
        }
    }

    /** rmdir (a cgroup's files go with it); true while the group is still there, in use or not ours to remove. */
    private static boolean remove(Path group) {
        try {
            Files.deleteIfExists(group);
            return false;
        } catch (IOException e) {
            return Files.exists(group);
        }
    }
}
