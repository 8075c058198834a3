package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;


/** CPU time over a measurement window, from /proc readings that do not line up with it. */
class ServerProcessTest {

    private static final long MS = 1_000_000L;

    /** A reading at {@code ms} of a server that has burnt {@code cpuPerSecond} CPU seconds per second since 0. */
    private static ProcReading at(long ms, double cpuPerSecond) {
        return new ProcReading(ms * MS, 0, 0, (long) Math.floor(cpuPerSecond * ms / 10.0), -1, 0);   // 10 ms per tick
    }

    @Test
    void aStalledProcReadingrDoesNotShortenTheWindow() {
        // Window [1000, 2000] ms at 0.8 CPU: 0.8 s. The readings drift (990, 1010, 1110, ... 1910), then the
        // sampler waits for a busy core and the next one is at 2090. Subtracting the readings at or before
        // each end would count 990..1910, 0.92 s, and report 0.736.
        List<ProcReading> samples = new ArrayList<>(List.of(at(990, 0.8)));
        for (long ms = 1010; ms <= 1910; ms += 100) {
            samples.add(at(ms, 0.8));
        }
        samples.add(at(2090, 0.8));
        assertEquals(0.8, ProcWindow.cpuSeconds(samples, 1000 * MS, 2000 * MS), 0.011);
    }

    @Test
    void aWindowShorterThanTheReadingsUsesTheReadingsAroundIt() {
        List<ProcReading> samples = List.of(at(900, 0.5), at(1000, 0.5), at(1100, 0.5));
        assertEquals(0.025, ProcWindow.cpuSeconds(samples, 1020 * MS, 1070 * MS), 0.001);
    }

    @Test
    void noReadingsMeansNoCpu() {
        assertEquals(0, ProcWindow.cpuSeconds(List.of(), 0, 1000 * MS));
        assertEquals(0, ProcWindow.cpuSeconds(List.of(at(500, 1)), 0, 1000 * MS));
    }

    @Test
    void aFailedTrialNamesTheRootCauseOfTheServersFirstException() {
        String stderr = String.join("\n", "listening on 127.0.0.1:7350",
                "Exception in thread \"\" java.lang.ExceptionInInitializerError",
                "\tat java.base/sun.nio.ch.NioSocketImpl.park(NioSocketImpl.java:174)",
                "Caused by: java.lang.RuntimeException: Can't parse '3' as polling mode",
                "\tat java.base/sun.nio.ch.Poller$Pollers.<init>(Poller.java:321)",
                "\t... 12 more",
                "Exception in thread \"\" java.lang.NoClassDefFoundError: Could not initialize class sun.nio.ch.Poller",
                "\tat java.base/sun.nio.ch.NioSocketImpl.park(NioSocketImpl.java:174)");
        assertEquals("; the server said: Caused by: java.lang.RuntimeException: Can't parse '3' as polling mode",
                ServerProcess.complaintIn(stderr));
        assertEquals("", ServerProcess.complaintIn("listening on 127.0.0.1:7350\nsync-echo: stopped"));
    }
}
