package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import echolab.bench.results.CpuShare;

/**
 * Holding a process to a share of a CPU with its cgroup's quota: held, a process that never waits uses no more
 * than its share; let go, it uses more; its group is gone once it has ended. The CPU time is the cgroup clock's
 * ({@link CpuCgroup}), over the same second for both sides. Needs root and cgroup v1's cpu and cpuacct
 * hierarchies, as on the machines echo-lab's CI runs on; elsewhere it is skipped, with the reason.
 */
class CpuQuotaTest {

    @Test
    void aHeldProcessUsesItsShareAndNoMoreAndItsGroupGoesWithIt() throws Exception {
        assumeTrue(CpuQuota.whyUnavailable() == null, "no CPU quota here: " + CpuQuota.whyUnavailable());
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            CpuCgroup.Joined clock = CpuCgroup.join(spinner.pid());
            assumeTrue(clock.group() != null, "no cgroup clock here: " + clock.whyNot());
            CpuQuota.Joined joined = CpuQuota.join(spinner.pid());
            assertTrue(joined.quota() != null, joined.whyNot());
            CpuQuota quota = joined.quota();

            quota.hold(CpuShare.of(20));
            double held = cpuShareOverASecond(clock.group());
            quota.release();
            double free = cpuShareOverASecond(clock.group());
            assertTrue(held <= 0.25, "held to 20% of a CPU, it used " + held);
            assertTrue(free > 2 * held, "let go, it used " + free + " of a CPU; held, " + held);
            assertTrue(quota.throttledPeriods() > 0, "the kernel stopped it before the end of some period");

            spinner.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Path dir = quota.dir();
            quota.close();
            clock.group().close();
            assertFalse(Files.exists(dir), "the group is removed once the process has ended");
        } finally {
            spinner.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aShareTheKernelCannotSetIsRefusedWithTheReason() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> CpuShare.of(5));
        assertTrue(tooSmall.getMessage().contains("smallest quota"), tooSmall.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuShare.of(100));
        assertTrue(CpuShare.of(50).describe().equals("50% of a CPU (5 ms of every 10 ms)"), CpuShare.of(50).describe());
    }

    /** The CPU the group used over one second of wall time, as a share of one CPU. */
    private static double cpuShareOverASecond(CpuCgroup group) throws InterruptedException {
        long from = group.nanos();
        long start = System.nanoTime();
        Thread.sleep(1_000);
        return (group.nanos() - from) / (double) (System.nanoTime() - start);
    }
}
