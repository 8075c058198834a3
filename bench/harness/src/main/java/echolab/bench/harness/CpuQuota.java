package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import echolab.bench.results.CpuShare;

/**
 * Holds a server to a share of one CPU, with the kernel's CFS bandwidth control: a group of its own in the
 * cgroup v1 {@code cpu} hierarchy, whose {@code cpu.cfs_quota_us} of every {@code cpu.cfs_period_us} it may
 * use; the scheduler stops it for the rest of the period. Held while a measurement runs and let go after
 * ({@link #hold}, {@link #release}); the group goes when the server has ended. Needs root and the hierarchy;
 * where either is missing, {@link #join} says why.
 */
public final class CpuQuota implements AutoCloseable {

    /** A group joined, or why none was. */
    public record Joined(CpuQuota quota, String whyNot) {
    }

    private final Path dir;

    private CpuQuota(Path dir) {
        this.dir = dir;
    }

    /** Moves every thread of {@code pid} into a new group of its own, not yet held; the group, or why it could not be made. */
    public static Joined join(long pid) {
        try {
            CpuQuota quota = new CpuQuota(CgroupV1.join("cpu", pid));
            if (!Files.isWritable(quota.dir.resolve("cpu.cfs_quota_us"))) {
                return new Joined(null, "the kernel has no CFS bandwidth control (no cpu.cfs_quota_us in " + quota.dir + ")");
            }
            return new Joined(quota, null);
        } catch (IOException e) {
            return new Joined(null, e.getMessage());
        }
    }

    /**
     * Why no server can be held here (not root, no cgroup v1 cpu hierarchy, no CFS bandwidth control); null when
     * one can. Asked once, before a run plans its rounds.
     */
    public static String whyUnavailable() {
        try {
            Path parent = CgroupV1.parentGroup("cpu");
            Files.createDirectories(parent);
            if (!Files.isWritable(parent.resolve("cpu.cfs_quota_us"))) {
                return "the kernel has no CFS bandwidth control here (no writable cpu.cfs_quota_us in " + parent + "; it needs root)";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** From now on the group may use {@code share} of a CPU. */
    public void hold(CpuShare share) throws IOException {
        release();                                      // the period may only change while the quota allows it
        Files.writeString(dir.resolve("cpu.cfs_period_us"), Integer.toString(share.periodMicros()));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), Integer.toString(share.quotaMicros()));
    }

    /** No limit from now on. */
    public void release() throws IOException {
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "-1");
    }

    /** How many periods the scheduler stopped the group before their end, since it was made; -1 when unreadable. */
    public long throttledPeriods() {
        try {
            return Files.readAllLines(dir.resolve("cpu.stat")).stream().filter(l -> l.startsWith("nr_throttled "))
                    .mapToLong(l -> Long.parseLong(l.substring("nr_throttled ".length()).strip())).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The group's folder in the cgroup hierarchy. */
    Path dir() {
        return dir;
    }

    /** Removes the group; call once the server has ended. */
    @Override
    public void close() {
        CgroupV1.removeWhenFree(dir);
    }
}
