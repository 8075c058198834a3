package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A server's own group in one cgroup v1 hierarchy, the part shared by its CPU clock ({@link CpuCgroup},
 * controller {@code cpuacct}) and its CPU quota ({@link CpuQuota}, controller {@code cpu}): where the group
 * goes, how the server's whole thread group moves into it, and how groups of ended servers are removed.
 *
 * <p>Groups are made under {@code <hierarchy>/<this process's group>/echolab/<server pid>}; a group left by a
 * tool that was killed is removed by the next one, once its server has ended. Where both controllers share one
 * hierarchy ({@code cpu,cpuacct}) the two are one folder, which each side may remove.
 */
final class CgroupV1 {

    private CgroupV1() {
    }

    /** Moves every thread of {@code pid} into a new group of its own in the hierarchy of {@code controller}; its folder. */
    static Path join(String controller, long pid) throws IOException {
        Path parent = parentGroup(controller);
        sweep(parent);
        Path dir = parent.resolve(Long.toString(pid));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));   // v1: the whole thread group moves
            return dir;
        } catch (IOException | RuntimeException e) {
            remove(dir);
            throw new IOException("cannot use a cgroup at " + dir + " (" + e.getMessage() + "; it needs root)", e);
        }
    }

    /**
     * Removes the group; call once its server has ended. The kernel lets go of an ended process's group a
     * moment after the process is reaped, so this tries for up to a second; a group still busy after that is
     * removed by the next run's sweep.
     */
    static void removeWhenFree(Path dir) {
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

    /** {@code <hierarchy of controller>/<this process's group>/echolab}, from /proc/self/mounts and /proc/self/cgroup. */
    static Path parentGroup(String controller) throws IOException {
        String mount = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[2].equals("cgroup") && List.of(f[3].split(",")).contains(controller)) {
                mount = f[1];
            }
        }
        if (mount == null) {
            throw new IOException("no cgroup v1 " + controller + " hierarchy is mounted");
        }
        String own = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
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
    static boolean remove(Path group) {
        try {
            Files.deleteIfExists(group);
            return false;
        } catch (IOException e) {
            return Files.exists(group);
        }
    }
}
