package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.load.LoadReport;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.ResultsSchema;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;

/**
 * A real, quick `bench` run over two servers (selector-echo, packaged earlier in the build, and the
 * native peer, or its skip note where there is no C compiler); its results.json is validated against
 * the JSON Schema, read back into the model, and checked for values that make sense; `report` on the
 * same folder renders the same summary.md.
 */
class QuickBenchTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void quickBenchOverTwoServersWritesAValidResultsFile(@TempDir Path out) throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        int exit = Main.commandLine().execute("bench", "--profile", "quick", "--only", "selector,native",
                "--no-pin", "--root", root.toString(), "--out", out.toString());

        ResultsSchema.assertValid(out.resolve("results.json"));
        BenchRun run = ResultsFile.read(out);
        assertTrue(run.run().complete(), "run not marked complete");
        assertEquals("quick", run.run().profile());
        assertEquals("./echolab bench --profile quick --only selector,native --server-cpu 50 --out " + out + " --no-pin", run.run().command());
        assertTrue(run.environment().cores() >= 1);

        Set<String> seen = new HashSet<>();
        for (Scenario scenario : run.scenarios()) {
            for (Trial trial : scenario.trials()) {
                String server = trial.server();
                seen.add(server + "/" + scenario.kind().label());
                assertEquals(Trial.Status.OK, trial.status(), server + " " + scenario.id() + ": " + trial.error());
                LoadReport load = trial.load();
                assertTrue(load.messagesPerSecond() > 0, server + " " + scenario.id() + " echoed nothing");
                assertEquals(0, load.errors().total(), server + " " + scenario.id() + " had errors");
                assertEquals(load.connectionsOpened(), load.answeredInRampUp(), "every connection echoed once before measuring");
                assertTrue(load.latencyMicros().p50() > 0, "p50 of " + server + " " + scenario.id());
                assertTrue(load.latencyMicros().p50() <= load.latencyMicros().p99(), "p50 <= p99");
                assertTrue(load.latencyMicros().p99() <= load.latencyMicros().max(), "p99 <= max");
                assertTrue(trial.serverStats().peakRssKiB() > 0, "no RSS for " + server);
                if (scenario.kind() == Scenario.Kind.SCALE) {
                    Trial.ScaleStats idle = trial.idle().orElseThrow(() -> new AssertionError(server + ": no idle figures"));
                    assertEquals(200, idle.idleOpened(), server + " idle connections opened");
                    assertTrue(idle.rssWithIdleKiB() > 0);
                }
                if (scenario.kind() == Scenario.Kind.CLOSED) {
                    // Held connections are the server's descriptors beyond those it had when listening, read every
                    // 100 ms; a reading can catch a file the JVM holds for a moment (its lifeline reads /proc, a class
                    // loads late), so one or two more are not a leak.
                    int held = trial.serverStats().acceptedConnections();
                    assertTrue(held >= scenario.connections() && held <= scenario.connections() + 2,
                            server + " held every connection during the window: " + held + " for " + scenario.connections());
                }
                if (scenario.kind() == Scenario.Kind.HELD) {
                    // the kernel's quota, not a speed: over the window the server used no more than its share
                    double share = trial.serverStats().cpuSeconds() / load.seconds();
                    assertTrue(share <= run.settings().heldTo().percent() / 100.0 + 0.1,
                            server + " held to " + run.settings().heldTo().describe() + " used " + share + " of a CPU");
                }
                if (scenario.kind() == Scenario.Kind.OPEN) {
                    assertTrue(load.targetRate() > 0);
                    assertNotNull(load.uncorrectedLatencyMicros());
                    assertInstanceOf(Trial.Histograms.Open.class, trial.histograms(), "an open loop's two histograms");
                } else {
                    assertInstanceOf(Trial.Histograms.Closed.class, trial.histograms(), "a closed loop's histogram");
                }
                for (String hgrm : trial.histograms().files()) {
                    assertTrue(Files.isRegularFile(out.resolve(hgrm)), "missing " + hgrm);
                }
                if (scenario.kind() == Scenario.Kind.SYSCALLS) {
                    assertNotNull(trial.serverStats().systemCalls(), server + ": the kernel's count of its system calls");
                } else {
                    assertTrue(load.hlog() != null && Files.isRegularFile(out.resolve(load.hlog())), "the trial's interval log: " + load.hlog());
                }
            }
        }
        for (BenchRun.ServerEntry server : run.servers()) {
            assertTrue(server.skipped() == null || server.name().startsWith("native"),
                    "only a native peer may be skipped (no C compiler, no liburing, no io_uring): " + server.name() + ": " + server.skipped());
        }
        assertTrue(seen.containsAll(Set.of("selector/closed", "selector/open", "selector/scale")), seen.toString());
        String noQuota = echolab.bench.harness.CpuQuota.whyUnavailable();
        assertEquals(noQuota == null, seen.contains("selector/held"), "the main table's round is held wherever a quota can be set: " + noQuota);
        assertEquals(noQuota == null ? echolab.bench.results.CpuShare.of(50) : null, run.settings().heldTo());
        assertEquals(echolab.bench.harness.SyscallCounter.whyUnavailable() == null, seen.contains("selector/syscalls"),
                "system calls are counted wherever perf can count them: " + echolab.bench.harness.SyscallCounter.whyUnavailable());
        for (String file : new String[] {"summary.md", "throughput.png", "throughput.svg", "p99.png", "spectrum.svg",
                "rss-per-connection.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " missing or empty");
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| selector | teaching |"));
        assertEquals(SummaryMarkdown.render(run), summary, "summary.md is not what the model renders");
        assertEquals(0, exit, "bench reported a failed scenario");
    }
}
