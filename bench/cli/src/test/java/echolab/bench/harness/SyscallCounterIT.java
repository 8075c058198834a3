package echolab.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.bench.results.Trial;
import echolab.bench.run.Scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel's count of a server's system calls, per message: the selector server makes one read and one
 * write per 64-byte echo and waits in epoll; the io_uring peer makes neither, submitting its ring with
 * io_uring_enter far less than once per message. Skipped, with the reason, where perf cannot count
 * (.ci/run installs linux-perf); the io_uring case where the peer cannot run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyscallCounterIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static NativePeers peers;

    @BeforeAll
    static void perf() throws Exception {
        String why = SyscallCounter.whyUnavailable();
        assumeTrue(why == null, "system calls cannot be counted here: " + why);
        peers = NativePeers.build(ROOT);
    }

    private static Trial.SystemCalls counted(String server) throws Exception {
        ServerCatalogue.Entry entry = ServerCatalogue.named(server, ServerCatalogue.ALL);
        Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), peers);
        String problem = launcher.unavailable(entry, ROOT);
        assumeTrue(problem == null, server + " cannot run here: " + problem);
        try (ServerProcess p = launcher.start(entry, ROOT, List.of())) {
            Measurement m = Measurement.counted(p, Scenarios.load(20, 64, Duration.ofMillis(300), Duration.ofMillis(1000)));
            assertTrue(m.messages() > 1000, "the server echoed: " + m.messages());
            assertNotNull(m.serverStats().systemCalls(), "the counts are kept with the server's figures");
            return m.systemCalls();
        }
    }

    @Test
    void theSelectorServerReadsOnceAndWritesOncePerMessage() throws Exception {
        Trial.SystemCalls c = counted("selector");
        assertTrue(c.reads() > 0.9 && c.reads() < 1.2, "one read per 64-byte message: " + c);
        assertTrue(c.writes() > 0.9 && c.writes() < 1.2, "one write per echo: " + c);
        assertTrue(c.epollWaits() > 0 && c.epollWaits() < 1, "a select finds several connections ready: " + c);
        assertEquals(0, c.ioUringEnters(), "no io_uring: " + c);
        assertTrue(c.all() >= c.reads() + c.writes() + c.epollWaits() && c.seconds() >= 0.5, "all calls include those: " + c);
    }

    @Test
    void theIoUringPeerNeitherReadsNorWrites() throws Exception {
        Trial.SystemCalls c = counted("native-uring");
        assertTrue(c.reads() < 0.05 && c.writes() < 0.05, "reads and writes are ring operations, not calls: " + c);
        // One io_uring_enter submits a turn's reads and writes and collects their completions: fewer calls per
        // message than the read and the write an epoll server makes, however few messages a turn finds.
        assertTrue(c.ioUringEnters() > 0 && c.ioUringEnters() < 2, "fewer calls per message than a read and a write: " + c);
        assertTrue(c.all() - c.ioUringEnters() < 0.05, "io_uring_enter is its only system call per message: " + c);
    }
}
