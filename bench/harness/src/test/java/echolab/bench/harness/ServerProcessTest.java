package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;


/** A server's figures over a measurement window, from /proc readings that do not line up with it. */
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

    /** A reading at {@code ms} with the RSS now, the peak RSS since the last reset, and the threads and descriptors. */
    private static ProcReading at(long ms, long rssKiB, long peakRssKiB, int threads, int files) {
        return new ProcReading(ms * MS, rssKiB, peakRssKiB, threads, ms / 10, -1, files, null, null);
    }

    @Test
    void theEdgesOfAWindowGiveItsCountersScaledToItsLength() {
        // Read 20 ms before a window of [1000, 2000] ms and 5 ms after it, at one CPU second per second.
        List<ProcReading> edges = List.of(at(980, 1.0), at(2005, 1.0));
        assertEquals(1.0, ProcWindow.cpuSeconds(edges, 1000 * MS, 2000 * MS), 0.011);
    }

    @Test
    void thePeakRssOfAWindowIsTheKernelsHighWaterMarkSinceItsFirstEdge() {
        // Between the edges the RSS rose to 900 MiB and fell back to 100: only the kernel's mark saw it.
        List<ProcReading> edges = List.of(at(980, 100_000, 500_000, 20, 110), at(2005, 100_000, 900_000, 21, 112));
        ProcWindow reset = ProcWindow.over(edges, 1000 * MS, 2000 * MS, 981 * MS);
        assertEquals(900_000, reset.peakRssKiB());
        assertEquals(21, reset.peakThreads());
        assertEquals(112, reset.peakOpenFiles());
        // A mark reset long before the window (or never) holds an older peak: the readings' RSS is all there is.
        assertEquals(100_000, ProcWindow.over(edges, 1000 * MS, 2000 * MS, 500 * MS).peakRssKiB());
        assertEquals(100_000, ProcWindow.over(edges, 1000 * MS, 2000 * MS, Long.MIN_VALUE).peakRssKiB());
    }

    @Test
    void resettingAProcesssPeakRssBringsItDownToItsRssNow() throws IOException, InterruptedException {
        // A child that touches 200 MiB, frees it and waits: its peak stays 200 MiB above its RSS until reset.
        Process child = new ProcessBuilder("python3", "-c",
                "import sys\nb = bytearray(200 * 1024 * 1024)\ndel b\nprint('freed', flush=True)\nsys.stdin.read()")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("freed", new String(child.getInputStream().readNBytes(5)));
            ProcReading before = ProcReading.of(child.pid(), null);
            assertTrue(before.peakRssKiB() > before.rssKiB() + 150 * 1024, before.toString());
            assertTrue(ProcReading.resetPeakRss(child.pid()), "the kernel refused to reset the peak");
            ProcReading after = ProcReading.of(child.pid(), null);
            assertTrue(after.peakRssKiB() < before.rssKiB() + 50 * 1024, after.toString());
        } finally {
            child.destroyForcibly().waitFor();
        }
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
