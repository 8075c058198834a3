package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server's CPU time in nanoseconds, from a cgroup of its own: cgroup v1's {@code cpuacct.usage}, which
 * the scheduler keeps exactly, for every thread of the group, those that have ended included. The kernel's
 * other per-process clock, {@code /proc/PID/stat}, counts whole ticks of 10 ms, and over a window of half a
 * second that rounding alone is a few percent. Creating the group needs root and a cgroup v1 {@code cpuacct}
 * hierarchy; where either is missing, {@link #join} says why and the caller keeps the tick clock.
 *
 * <p>Where the group goes and how it is removed: {@link CgroupV1}.
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
        try {
            return new Joined(new CpuCgroup(CgroupV1.join("cpuacct", pid)), null);
        } catch (IOException e) {
            return new Joined(null, e.getMessage());
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

    /** Removes the group; call once the server has ended (see {@link CgroupV1#removeWhenFree}). */
    @Override
    public void close() {
        CgroupV1.removeWhenFree(dir);
    }
}
