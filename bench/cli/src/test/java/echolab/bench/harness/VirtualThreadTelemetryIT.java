package echolab.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.bench.run.Scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtual-thread server's JFR recording, read back per window: the JDK's pinned events are counted with
 * their durations, the scheduler's counts arrive from echo-lab's own event, a server without virtual threads
 * gets no recording, and the recording's repository goes with the server. An integration test: it runs the
 * packaged servers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadTelemetryIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Launcher LAUNCHER = new Launcher(Launcher.currentJava(), new Pinning(null, null), NativePeers.none())
            .recordingVirtualThreads(true);

    @Test
    void everyPinnedWaitIsCountedWithItsDuration() throws Exception {
        VirtualThreadTelemetry telemetry = VirtualThreadTelemetry.create();
        List<String> command = new ArrayList<>(List.of(Launcher.currentJava()));
        command.addAll(telemetry.jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PinningProgram.class.getName()));
        long from = System.nanoTime();
        try (ServerProcess p = ServerProcess.start("pinning", command, Duration.ofSeconds(20), telemetry)) {
            echolab.bench.results.Trial.VirtualThreads w = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (w == null || w.pinned() < 3)) {
                w = p.virtualThreads(from, System.nanoTime());
            }
            assertNotNull(w, "the recording could be read");
            assertEquals(3, w.pinned(), "three class initialisers slept on a virtual thread: three pinned waits");
            assertTrue(w.pinnedMaxMicros() >= 25_000 && w.pinnedTotalMicros() >= 75_000,
                    "each pinned wait lasted the 30 ms it slept: " + w);
            assertEquals(0, w.submitFailed());
        }
    }

    @Test
    void theVirtualThreadServerReportsItsSchedulerAndNoPinning() throws Exception {
        Path repositories;
        try (ServerProcess p = LAUNCHER.start(ServerCatalogue.named("virtual-thread", ServerCatalogue.ALL), ROOT, List.of())) {
            Measurement m = Measurement.of(p, Scenarios.load(20, 64, Duration.ofMillis(300), Duration.ofMillis(1500)));
            echolab.bench.results.Trial.VirtualThreads w = m.virtualThreads();
            assertNotNull(w, "a virtual-thread server is recorded");
            assertTrue(w.schedulerReadings() >= 5, "the scheduler is read every 100 ms over a 1.5 s window: " + w);
            assertTrue(w.parallelism() >= 1 && w.carriersPeak() >= 1, "while it echoes, the scheduler runs carriers: " + w);
            assertEquals(0, w.pinned(), "the teaching server never blocks pinned to its carrier");
            assertEquals(0, w.submitFailed());
            assertNotNull(m.serverStats().virtualThreads(), "and results.json keeps it");
            repositories = Path.of(p.commandLine().stream().filter(a -> a.startsWith("-XX:FlightRecorderOptions:repository="))
                    .findFirst().orElseThrow().substring("-XX:FlightRecorderOptions:repository=".length()));
            assertTrue(Files.isDirectory(repositories));
        }
        assertTrue(!Files.exists(repositories), "the recording's repository goes with the server: " + repositories);
    }

    @Test
    void aServerWithoutVirtualThreadsIsNotRecorded() throws Exception {
        try (ServerProcess p = LAUNCHER.start(ServerCatalogue.named("selector", ServerCatalogue.ALL), ROOT, List.of())) {
            Measurement m = Measurement.of(p, Scenarios.load(5, 64, Duration.ofMillis(100), Duration.ofMillis(300)));
            assertNull(m.virtualThreads());
            assertNull(m.serverStats().virtualThreads());
            assertTrue(p.commandLine().stream().noneMatch(a -> a.contains("FlightRecord")), String.join(" ", p.commandLine()));
        }
    }
}
