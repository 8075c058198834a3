package echolab.bench.remote;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.Cli;
import echolab.bench.harness.ChildProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Load from separate hosts, on real ones: network namespaces joined by veth pairs ({@link TestHosts}), the
 * server in one, a generator host with its own sshd in each of two others, the tool reaching them over ssh.
 * The hosts' counts add up to the merged ones exactly, the merged histogram is the union of the hosts'
 * interval logs, an unreachable host stops the run before anything starts and leaves nothing running, and a
 * generator killed mid-run is named with its share marked missing. Skipped, saying why, where namespaces
 * cannot be made (not root, no sshd). An integration test: the hosts run the packaged echo-lab.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LoadHostsIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static TestHosts hosts;
    private static Process server;

    @BeforeAll
    static void hosts() throws Exception {
        String why = TestHosts.whyNot();
        assumeTrue(why == null, "separate hosts cannot be built here: " + why);
        hosts = TestHosts.build(dir, 2);
        server = ChildProcess.started(ChildProcess.builder(hosts.onServer(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", ROOT.resolve("selector-echo/target/selector-echo.jar").toString(), "--host", hosts.serverAddress(),
                "--port", "7007"))).redirectErrorStream(true).start());
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("listening on"), "the server listens on the server host: " + line);
        Thread.ofPlatform().daemon().start(() -> ChildProcess.copy(server.getInputStream(), new echolab.bench.harness.TailBuffer(1024)));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            ChildProcess.kill(server);
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    private static Cli.Outcome load(String... args) {
        List<String> all = new ArrayList<>(List.of("load", "--root", ROOT.toString(), "--ssh-config", hosts.sshConfig().toString(),
                "--host", hosts.serverAddress(), "--port", "7007"));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** Every interval of the log, added up by tag. */
    private static Map<String, Histogram> byTag(Path hlog) throws IOException {
        Map<String, Histogram> tags = new java.util.HashMap<>();        // the untagged primary under null
        HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(Files.readAllBytes(hlog)));
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            tags.computeIfAbsent(e.getTag(), t -> new Histogram(3)).add((Histogram) e);
        }
        return tags;
    }

    @Test
    void twoHostsShareTheLoadAndTheirCountsAndHistogramsAddUpExactly() throws Exception {
        Path json = dir.resolve("two.json");
        Path hlog = dir.resolve("two.hlog");
        Cli.Outcome run = load("--connections", "40", "--rate", "4000", "--warmup", "500ms", "--duration", "2s", "--load-hosts", "g1,g2",
                "--json", json.toString(), "--hlog", hlog.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode r = JSON.readTree(json.toFile());
        assertFalse(r.path("partial").asBoolean());
        JsonNode merged = r.path("merged");
        long messages = 0;
        long latencies = 0;
        long opened = 0;
        for (JsonNode h : r.path("hosts")) {
            assertEquals("ok", h.path("status").asText(), h.toString());
            assertEquals(20, h.path("connections").asInt(), "each host has its share of the connections");
            assertEquals(2000, h.path("rate").asDouble(), 1e-9, "and of the rate");
            messages += h.path("report").path("messages").asLong();
            latencies += h.path("report").path("latencyMicros").path("count").asLong();
            opened += h.path("report").path("connectionsOpened").asLong();
        }
        assertTrue(messages > 4000, "the hosts echoed messages: " + messages);
        assertEquals(messages, merged.path("messages").asLong(), "the merged count is the hosts' counts added");
        assertEquals(latencies, merged.path("latencyMicros").path("count").asLong());
        assertEquals(40, opened);
        assertEquals(40, merged.path("connectionsOpened").asLong());

        Map<String, Histogram> tags = byTag(hlog);
        Histogram union = new Histogram(3);
        union.add(tags.get("g1.corrected"));
        union.add(tags.get("g2.corrected"));
        Histogram all = tags.get(null);
        assertEquals(latencies, all.getTotalCount(), "the merged seconds hold every latency the hosts reported");
        assertEquals(union.getTotalCount(), all.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertEquals(union.getValueAtPercentile(p), all.getValueAtPercentile(p), "percentile " + p + " of the union of the hosts' logs");
        }
        assertTrue(tags.containsKey("uncorrected") && tags.containsKey("g1.uncorrected"), "an open loop logs the uncorrected latency too");
        assertEquals(merged.path("latencyMicros").path("p99").asDouble(), all.getValueAtPercentile(99) / 1e3, 1e-9);
    }

    @Test
    void anUnreachableHostStopsTheRunBeforeAnythingStartsAndLeavesNothingRunning() throws Exception {
        Cli.Outcome run = load("--connections", "10", "--duration", "1s", "--load-hosts", "g1,nowhere");
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("host nowhere: cannot reach it over ssh"), run.err());
        assertTrue(run.err().lines().filter(l -> l.startsWith("load: host")).count() == 1, "one line, naming the host: " + run.err());
        assertTrue(agents().isEmpty(), "no generator was started: " + agents());
    }

    @Test
    void aGeneratorKilledMidRunIsNamedAndItsShareMarkedMissing() throws Exception {
        Path json = dir.resolve("killed.json");
        long since = System.currentTimeMillis() - 1000;
        CompletableFuture<Cli.Outcome> running = CompletableFuture.supplyAsync(() -> load("--connections", "20", "--warmup", "500ms",
                "--duration", "8s", "--load-hosts", "g1,g2", "--json", json.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Long victim = null;
        while (victim == null && System.nanoTime() < deadline && !running.isDone()) {
            victim = agents().stream().filter(a -> a.command().contains("--group g2")).map(Agent::pid).findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertTrue(victim != null, "g2's generator was started");
        while (System.nanoTime() < deadline && established("g1") + established("g2") < 20) {   // every connection is up
            Thread.sleep(50);
        }
        Thread.sleep(1500);                                 // into the measured window
        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
        Cli.Outcome run = running.get(90, TimeUnit.SECONDS);
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("host g2") && run.out().contains("MISSING") && run.out().contains("killed"), run.out() + run.err());
        JsonNode r = JSON.readTree(json.toFile());
        assertTrue(r.path("partial").asBoolean(), "the merged figures are marked partial");
        assertEquals(10, r.path("merged").path("connectionsRequested").asInt(), "only g1's share is in them");
        assertTrue(r.path("warnings").toString().contains("g2"), r.path("warnings").toString());
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!agents().isEmpty() && System.nanoTime() < gone) {
            Thread.sleep(50);
        }
        assertTrue(agents().isEmpty(), "no generator is left on any host: " + agents());
        assertEquals(List.of(), filesLeftSince(since), "a killed generator leaves no file behind");
    }

    /** Files in the temporary folder (which the hosts share with this one) changed since {@code millis}. */
    private static List<Path> filesLeftSince(long millis) throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("echolab-agent")).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() >= millis;
                } catch (IOException e) {
                    return false;                          // gone already
                }
            }).toList();
        }
    }

    /** A quick bench of one server with {@code options}. */
    private static Cli.Outcome bench(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("bench", "--root", ROOT.toString(), "--profile", "quick", "--only", "selector",
                "--ssh-config", hosts.sshConfig().toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aBenchRunTakesItsPointsFromTheHosts() throws Exception {
        Path out = dir.resolve("bench");
        Cli.Outcome run = bench(out, "--load-hosts", "g1,g2", "--server-address", hosts.hereAddress());
        assertEquals(0, run.exit(), run.err());
        echolab.bench.results.ResultsSchema.assertValid(out.resolve("results.json"));
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        JsonNode reference = null;
        for (JsonNode sc : results.path("scenarios")) {
            if (sc.path("id").asText().equals("closed-c100-s64")) {
                reference = sc.path("trials").get(0);
            }
        }
        assertTrue(reference != null, "the reference point was measured");
        assertEquals(100, reference.path("load").path("connectionsOpened").asInt());
        assertTrue(reference.path("serverStats").path("cpuMicrosPerMessage").asDouble() > 0, "the server's own figures, from here");
        Map<String, Histogram> tags = byTag(out.resolve(reference.path("load").path("hlog").asText()));
        assertEquals(reference.path("load").path("latencyMicros").path("count").asLong(), tags.get(null).getTotalCount());
        assertTrue(tags.containsKey("g1.corrected") && tags.containsKey("g2.corrected"), "each host's seconds are in the trial's log");
    }

    @Test
    void aBenchRunsItsServersOnOneHostAndTakesItsLoadFromAnother() throws Exception {
        Path out = dir.resolve("bench-apart");
        Cli.Outcome run = bench(out, "--server-host", "g1", "--server-address", hosts.address(1), "--load-hosts", "g2");
        assertEquals(0, run.exit(), run.err());
        echolab.bench.results.ResultsSchema.assertValid(out.resolve("results.json"));
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("ssh", results.path("servers").get(0).path("command").get(0).asText(), "the server's command is the ssh that ran it");
        int measured = 0;
        for (JsonNode sc : results.path("scenarios")) {
            for (JsonNode t : sc.path("trials")) {
                assertEquals("ok", t.path("status").asText(), sc.path("id") + ": " + t.path("error"));
                assertTrue(t.path("serverStats").isNull() || t.path("serverStats").isMissingNode(),
                        "nothing of a server on another host is read here: " + t.path("serverStats"));
                assertTrue(t.path("load").path("messages").asLong() > 0);
                measured++;
            }
        }
        assertTrue(measured >= 3, "the closed and open points were measured: " + measured);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("ran on another host"));
        String listening = "ss -Htln | grep -v ':22 ' || true";          // g1's listening sockets but its sshd's
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!hosts.in("g1", listening).isBlank() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("", hosts.in("g1", listening).strip(), "the server on g1 stopped with the bench");
    }

    @Test
    void aLadderHoldsItsConnectionsFromTheHosts() throws Exception {
        Path out = dir.resolve("scale");
        CompletableFuture<Cli.Outcome> run = CompletableFuture.supplyAsync(() -> Cli.run("scale", "--root", ROOT.toString(), "--only",
                "selector", "--steps", "100,400", "--no-to-limit", "--no-pin", "--load-hosts", "g1,g2", "--server-address",
                hosts.hereAddress(), "--ssh-config", hosts.sshConfig().toString(), "--out", out.toString()));
        int[] most = new int[2];                 // the most connections each host held at once, but its ssh sessions
        String held = "ss -Htn state established '( not sport = :22 and not dport = :22 )' | wc -l";
        while (!run.isDone()) {
            for (int g = 0; g < 2; g++) {
                String n = hosts.in("g" + (g + 1), held).strip();
                most[g] = Math.max(most[g], n.matches("\\d+") ? Integer.parseInt(n) : 0);
            }
            Thread.sleep(100);
        }
        Cli.Outcome outcome = run.get();
        assertEquals(0, outcome.exit(), outcome.err());
        echolab.bench.results.ResultsSchema.assertValid(out.resolve("results.json"));
        echolab.bench.results.BenchRun r = echolab.bench.results.ResultsFile.read(out);
        echolab.bench.results.Ladder.ServerLadder selector = ((echolab.bench.results.BenchRun.Scale) r.kind()).ladder().of("selector")
                .orElseThrow();
        assertEquals(400, selector.highestStepHeld(), selector.stop().why());
        assertEquals(200, most[0], "g1 held half of the top step");
        assertEquals(200, most[1], "g2 held the other half");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((!agents().isEmpty() || !hosts.in("g1", held).strip().equals("0")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), agents(), "no hold agent outlives the ladder");
    }

    private static int established(String host) throws IOException, InterruptedException {
        String n = hosts.in(host, "ss -Htn state established dport = :7007 | wc -l").strip();
        return n.matches("\\d+") ? Integer.parseInt(n) : 0;
    }

    private record Agent(long pid, String command) {
    }

    /** The echo-lab generators running for a load from several hosts, on any host of this machine. */
    private static List<Agent> agents() throws IOException {
        List<Agent> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains("echo-load.jar --agent ") && cmd.contains("java")) {
                        found.add(new Agent(Long.parseLong(p.getFileName().toString()), cmd));
                    }
                } catch (IOException gone) {
                    // the process ended while being read
                }
            }
        }
        return found;
    }
}
