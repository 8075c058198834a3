package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The server's own cgroup as a CPU clock: it counts, in nanoseconds, the CPU of work that has ended (which
 * /proc/PID/stat of the process does not), and it leaves no group behind. Needs root and a cgroup v1
 * cpuacct hierarchy, as on the machines echo-lab's CI runs on; elsewhere it is skipped, with the reason.
 */
class CpuCgroupTest {

    /**
     * A shell that waits for a line on stdin, then counts in a child process that ends, prints the CPU time
     * of its ended children as the kernel accounted it ({@code times}), and sleeps.
     */
    private static Process shell() throws Exception {
        return new ProcessBuilder("sh", "-c", "read go; (i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done); times; sleep 30").start();
    }

    /** The seconds of the second line of {@code times}: user and system time of the shell's ended children. */
    private static double childrenSeconds(String times) {
        double total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s").matcher(times.split("\n")[1]);
        while (m.find()) {
            total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        }
        return total;
    }

    @Test
    void countsTheCpuOfWorkThatHasEndedAndRemovesItsGroup() throws Exception {
        Process p = shell();
        try {
            CpuCgroup.Joined joined = CpuCgroup.join(p.pid());
            assumeTrue(joined.group() != null, "no cgroup clock here: " + joined.whyNot());
            CpuCgroup group = joined.group();
            long before = group.nanos();
            p.getOutputStream().write("go\n".getBytes());
            p.getOutputStream().close();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String times = out.readLine() + "\n" + out.readLine();
            long burnt = group.nanos() - before;
            double children = childrenSeconds(times);
            assertTrue(children > 0.05, "the child counted for a while: " + times);
            assertTrue(burnt >= 0.9 * children * 1e9, "the ended child's CPU is counted: " + burnt + " ns, its own " + times);
            String[] stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).split("\\) ")[1].split(" ");
            long ownTicks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);       // utime + stime, as ProcReading reads them
            assertTrue(ownTicks * 10_000_000L < burnt / 2, "the tick clock of the process itself does not count it: " + ownTicks);
            end(p);
            Path dir = group.dir();
            assertTrue(Files.isDirectory(dir), dir.toString());
            group.close();
            assertFalse(Files.exists(dir), "the group is removed once the server has ended");
        } finally {
            end(p);
        }
    }

    @Test
    void aGroupLeftByAKilledToolIsRemovedByTheNext() throws Exception {
        Process dead = shell();
        CpuCgroup.Joined joined = CpuCgroup.join(dead.pid());
        assumeTrue(joined.group() != null, "no cgroup clock here: " + joined.whyNot());
        end(dead);                                    // and the group is never closed, as when a tool is killed
        Path left = joined.group().dir();
        assertTrue(Files.isDirectory(left));
        Process next = shell();
        try {
            CpuCgroup.Joined other = CpuCgroup.join(next.pid());
            assertFalse(Files.exists(left), "swept by the next join");
            end(next);
            other.group().close();
        } finally {
            end(next);
        }
    }

    /** Kills the shell and its children (its sleep would keep the group in use), and waits for them. */
    private static void end(Process p) throws Exception {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            child.onExit().get(5, TimeUnit.SECONDS);
        }
    }
}
