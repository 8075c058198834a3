package echolab.bench.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./echolab bench}: the side-by-side run. Each server in its own process, pinned apart from the
 * generator; the scenarios of the profile; results written to results/RUN/ as they come.
 */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Measure the four echo servers side by side, with Netty's echo and a native epoll echo as reference",
            "peers. Scenarios: (a) closed-loop sweep over connections and message sizes; (b) open loop at one",
            "fixed rate for all (half the slowest concurrent server's closed-loop throughput at 100 x 64 B),",
            "latency corrected and uncorrected; (c) idle connections held plus one active; (d) the generator's",
            "own capacity against the native server. Writes results.json, summary.md, charts (PNG, SVG) and",
            ".hgrm files to results/<run>/, and prints the summary table at the end."},
        footer = {"", "Profiles: quick (under 1 min), default (under 4 min), full (under 20 min, 10,000 idle connections).",
            "Exit status: 0 every scenario measured, 1 some scenario failed, 2 bad usage."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--profile", defaultValue = "default", description = "quick, default or full (default: ${DEFAULT-VALUE}).")
    String profileName;

    @Option(names = "--only", split = ",", paramLabel = "NAMES",
            description = "Only these servers, comma-separated, from: sync, thread-per-conn, selector, virtual-thread, netty, native.")
    List<String> only;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/<date>-<profile>).")
    Path out;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Open-loop rate (default: derived from the sweep as above).")
    Double rate;

    @Option(names = "--no-pin", description = "Do not pin server and generator to separate cores.")
    boolean noPin;

    @Option(names = "--root", hidden = true, description = "The echo-lab checkout (set by ./echolab).")
    Path root;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private Duration firstWarmup;
    private Report report;
    private Progress progress;
    private String serverCpus;
    private String java;
    private int failures;

    @Override
    public Integer call() throws Exception {
        Profile profile;
        List<ServerSpec> servers = new ArrayList<>();
        root = (root != null ? root : Path.of(System.getProperty("echolab.root", "."))).toAbsolutePath().normalize();
        java = ProcessHandle.current().info().command().orElse("java");
        NativePeers natives;
        try {
            profile = Profile.named(profileName);
            natives = NativePeers.build(root);
            for (String name : only != null ? only : ServerSpec.ALL) {
                servers.add(ServerSpec.of(name.strip(), root, java, natives.server, natives.problem));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }

        firstWarmup = profile.firstWarmup();
        Pinning pinning = Pinning.apply(noPin);
        serverCpus = pinning.serverCpus();
        String generatorCpus = pinning.generatorCpus();
        Path dir = out != null ? out : root.resolve("results").resolve(
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm")) + "-" + profile.name());
        Files.createDirectories(dir.resolve("hgrm"));
        report = new Report(dir, profile, servers, Environment.describe(root, serverCpus, generatorCpus, serverCpus != null));
        progress = new Progress(plan(profile, servers, natives));
        System.err.printf("bench: profile %s, %d servers, writing to %s%n", profile.name(), servers.size(), dir);
        System.err.printf("bench: servers on CPU %s, generator on CPU %s%n",
                serverCpus == null ? "any" : serverCpus, generatorCpus == null ? "any" : generatorCpus);
        for (ServerSpec s : servers) {
            if (!s.available()) {
                System.err.println("bench: skipping " + s.name() + ": " + s.unavailableReason());
                report.skipped(s, s.unavailableReason());
            }
        }

        // All servers run at once, idle but for the one being measured, so that the scenarios can be
        // interleaved: each point of the sweep measures every server back to back, in a rotating order,
        // and the reference point is repeated in rounds. Drift on a shared machine then hits them alike.
        Map<ServerSpec, ServerProcess> running = new LinkedHashMap<>();
        List<ServerSpec> live = servers.stream().filter(ServerSpec::available).toList();
        for (ServerSpec server : live) {
            warmStart(server, running);
        }

        // (a) closed-loop sweep, round 1; then the reference point again in rounds 2..N
        int step = 0;
        for (int size : profile.sizes()) {
            for (int c : profile.connections()) {
                for (ServerSpec server : rotate(live, step++)) {
                    measure(server, running, "closed", config(c, size, profile.warmup(), profile.duration(), 0), 1);
                }
            }
        }
        for (int round = 2; round <= profile.rounds(); round++) {
            for (ServerSpec server : rotate(live, step++)) {
                measure(server, running, "closed", config(Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE,
                        profile.warmup(), profile.duration(), 0), round);
            }
        }

        // (b) open loop at one rate for all
        double openRate = rate != null ? rate : report.openLoopRate();
        if (openRate > 0) {
            report.setOpenLoopRate(openRate);
            for (ServerSpec server : rotate(live, step++)) {
                measure(server, running, "open", config(profile.openLoopConnections(), Profile.REFERENCE_SIZE,
                        profile.warmup(), profile.openLoopDuration(), openRate), 1);
            }
        } else {
            System.err.println("bench: no closed-loop throughput at 100 x 64 B to derive an open-loop rate from; skipping (b)");
        }
        for (ServerProcess server : running.values()) {
            server.close();
        }

        // (c) idle connections held, one active
        for (ServerSpec server : servers) {
            if (server.available()) {
                scale(server, profile);
            }
        }

        // (d) the generator's own capacity, against the native ceiling
        if (profile.capacity() && natives.server != null && servers.stream().anyMatch(s -> s.name().equals("native"))) {
            capacity(servers.stream().filter(s -> s.name().equals("native")).findFirst().orElseThrow(), natives, profile, generatorCpus);
        }

        report.finish();
        System.out.println();
        System.out.print(report.summaryTable());
        System.out.printf("%nbench: done in %s; results in %s%n", Progress.format(progress.elapsedSeconds()), dir);
        return failures == 0 ? 0 : 1;
    }

    // ---- scenarios ------------------------------------------------------------------------------

    private LoadConfig config(int connections, int size, Duration warmup, Duration duration, double openRate) {
        return new LoadConfig("127.0.0.1", 0, connections, size, 1, warmup, duration, openRate,
                Duration.ofSeconds(5), Duration.ofSeconds(5), 1);
    }

    /**
     * Starts a server and warms it up: a fresh JVM compiles its hot paths on the server's own core,
     * which would otherwise be measured as the server's slowness.
     */
    private void warmStart(ServerSpec spec, Map<ServerSpec, ServerProcess> running) throws InterruptedException {
        String label = spec.name() + " start and warm-up";
        progress.starting(label);
        try {
            ServerProcess server = ServerProcess.start(spec.pinnedCommand(serverCpus), 20_000);
            running.put(spec, server);
            LoadResult warm = LoadGenerator.run(config(Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE, firstWarmup,
                    Duration.ofMillis(200), 0).withPort(server.port()));
            progress.done(label, String.format("ready on port %d (warm-up at %,.0f msg/s)", server.port(), warm.messagesPerSecond()));
        } catch (IOException | RuntimeException e) {
            progress.done(label, "FAILED: " + e.getMessage());
        }
    }

    /** One scenario on one of the running servers; a server that died is restarted for its next one. */
    private void measure(ServerSpec spec, Map<ServerSpec, ServerProcess> running, String scenario, LoadConfig config, int round)
            throws InterruptedException {
        String label = String.format("%s %s c=%d s=%d%s%s", spec.name(), scenario, config.connections(), config.size(),
                config.openLoop() ? String.format(" rate=%.0f", config.rate()) : "", round > 1 ? " round " + round : "");
        ServerProcess server = running.get(spec);
        if (server == null || !server.alive()) {
            if (server != null) {
                server.close();
            }
            warmStart(spec, running);
            server = running.get(spec);
        }
        progress.starting(label);
        Map<String, Object> row = row(spec, scenario, config.connections(), config.size());
        row.put("round", round);
        try {
            if (server == null || !server.alive()) {
                throw new IOException("the server is not running" + (server == null ? "" : ": " + lastLine(server.stderr())));
            }
            LoadResult result = LoadGenerator.run(config.withPort(server.port()));
            recordLoad(row, result, server, spec, scenario + (round > 1 ? "-r" + round : ""));
            if (!server.alive()) {
                fail(row, "the server exited during the scenario: " + lastLine(server.stderr()));
            }
            progress.done(label, describe(row, result));
        } catch (IOException | RuntimeException e) {
            fail(row, e.getMessage());
            progress.done(label, "FAILED: " + e.getMessage());
        }
        report.add(row);
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> rotated = new ArrayList<>(list);
        if (!rotated.isEmpty()) {
            Collections.rotate(rotated, -(by % rotated.size()));
        }
        return rotated;
    }

    private void recordLoad(Map<String, Object> row, LoadResult result, ServerProcess server, ServerSpec spec, String scenario)
            throws IOException {
        row.put("load", result.toJson());
        ServerProcess.Window w = server.window(result.measureFromNanos(), result.measureToNanos());
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("peakRssKiB", w.peakRssKiB());
        stats.put("peakThreads", w.peakThreads());
        stats.put("cpuSeconds", w.cpuSeconds());
        stats.put("cpuMicrosPerMessage", result.messages() > 0 ? w.cpuSeconds() * 1e6 / result.messages() : null);
        row.put("serverStats", stats);
        String file = String.format("hgrm/%s-%s-c%d-s%d.hgrm", spec.name(), scenario, result.connectionsRequested(),
                result.config().size());
        Files.writeString(report.dir().resolve(file), LoadResult.hgrm(result.correctedHistogram()));
        row.put("hgrm", file);
        if (result.config().openLoop()) {
            String uncorrected = file.replace(".hgrm", ".uncorrected.hgrm");
            Files.writeString(report.dir().resolve(uncorrected), LoadResult.hgrm(result.uncorrectedHistogram()));
            row.put("hgrmUncorrected", uncorrected);
            row.put("spectrum", Report.spectrum(result.correctedHistogram()));
            row.put("spectrumUncorrected", Report.spectrum(result.uncorrectedHistogram()));
        }
        boolean starvedOnly = result.errors().total() == 0 && result.starvedConnections() > 0;
        if (result.messages() == 0 && !starvedOnly) {
            fail(row, "no message was echoed" + (result.errors().first() != null ? ": " + result.errors().first() : ""));
        } else if (result.errors().total() > 0) {
            fail(row, result.errors().total() + " errors: " + result.errors().first());
        } else {
            row.put("status", starvedOnly ? "starved" : "ok");
        }
        row.put("generatorBound", result.generator().generatorBound());
    }

    /** (c): N idle connections held, then one active connection measured; RSS and threads per connection. */
    private void scale(ServerSpec spec, Profile profile) throws InterruptedException {
        int n = profile.idleConnections();
        String label = String.format("%s scale idle=%d", spec.name(), n);
        progress.starting(label);
        Map<String, Object> row = row(spec, "scale", n + 1, Profile.REFERENCE_SIZE);
        List<Socket> idle = new ArrayList<>();
        ServerProcess server = null;
        try {
            server = ServerProcess.start(spec.pinnedCommand(serverCpus), 20_000);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            Thread.sleep(300);
            ServerProcess.Sample before = server.sampleNow();
            int fdsBefore = server.openFiles();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String openError = null;
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                Socket s = new Socket();
                try {
                    s.connect(address, 2_000);
                    idle.add(s);
                } catch (IOException e) {
                    s.close();
                    openError = "idle connection " + (i + 1) + " of " + n + ": " + e.getMessage();
                    break;
                }
            }
            long acceptDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int seen = -1;
            long lastChange = System.nanoTime();
            while (server.openFiles() - fdsBefore < idle.size() && System.nanoTime() < acceptDeadline
                    && System.nanoTime() - lastChange < 1_000_000_000L) {     // sync-echo never accepts them: give up after 1 s still
                int fds = server.openFiles();
                if (fds != seen) {
                    seen = fds;
                    lastChange = System.nanoTime();
                }
                Thread.sleep(50);
            }
            Thread.sleep(500);
            ServerProcess.Sample held = server.sampleNow();
            int accepted = Math.max(0, server.openFiles() - fdsBefore);
            LoadResult active = LoadGenerator.run(config(1, Profile.REFERENCE_SIZE, profile.warmup(),
                    profile.scaleDuration(), 0).withPort(server.port()));
            recordLoad(row, active, server, spec, "scale");
            Map<String, Object> scale = new LinkedHashMap<>();
            scale.put("idleRequested", n);
            scale.put("idleOpened", idle.size());
            scale.put("idleAcceptedByServer", accepted);
            scale.put("rssBaselineKiB", before.rssKiB());
            scale.put("rssWithIdleKiB", held.rssKiB());
            scale.put("rssPerIdleConnectionKiB", idle.isEmpty() ? null : (held.rssKiB() - before.rssKiB()) / (double) idle.size());
            scale.put("threadsBaseline", before.threads());
            scale.put("threadsWithIdle", held.threads());
            scale.put("threadsPerIdleConnection", idle.isEmpty() ? null : (held.threads() - before.threads()) / (double) idle.size());
            scale.put("openError", openError);
            row.put("scale", scale);
            if (openError != null && "failed".equals(row.get("status")) && active.errors().total() == active.errors().connectFailures()) {
                // The server stopped accepting (sync-echo: its backlog is full of idle clients it will
                // never serve), so the active connection could not even connect. That is the model, not a fault.
                failures--;
                row.put("status", "starved");
                row.put("error", "backlog full: " + openError + "; the active connection could not connect");
            }
            progress.done(label, String.format("%d idle held (%d accepted), %+.2f KiB and %+.3f threads per connection; active: %s",
                    idle.size(), accepted, (Double) scale.get("rssPerIdleConnectionKiB"),
                    (Double) scale.get("threadsPerIdleConnection"), describe(row, active)));
        } catch (IOException | RuntimeException e) {
            fail(row, e.getMessage());
            progress.done(label, "FAILED: " + e.getMessage());
        } finally {
            for (Socket s : idle) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing the held connections at the end of the scenario
                }
            }
            if (server != null) {
                server.close();
            }
        }
        report.add(row);
    }

    /** (d): the generator and a minimal native client, each against the native server, same load. */
    private void capacity(ServerSpec nativeSpec, NativePeers natives, Profile profile, String generatorCpus)
            throws InterruptedException {
        String label = "generator capacity vs native client";
        progress.starting(label);
        Map<String, Object> row = row(nativeSpec, "capacity", Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE);
        try (ServerProcess server = ServerProcess.start(nativeSpec.pinnedCommand(serverCpus), 20_000)) {
            LoadResult java = LoadGenerator.run(config(Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE,
                    firstWarmup, profile.duration(), 0).withPort(server.port()));
            List<String> command = new ArrayList<>();
            if (generatorCpus != null) {
                command.addAll(List.of("taskset", "-c", generatorCpus));
            }
            command.addAll(List.of(natives.client.toString(), "--port", String.valueOf(server.port()),
                    "--connections", String.valueOf(Profile.REFERENCE_CONNECTIONS), "--size", String.valueOf(Profile.REFERENCE_SIZE),
                    "--seconds", String.valueOf(profile.duration().toMillis() / 1e3),
                    "--warmup", String.valueOf(firstWarmup.toMillis() / 1e3)));
            Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes());
            client.waitFor(60, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("(\\d+) round trips/s").matcher(output);
            if (!m.find()) {
                throw new IOException("native client: " + output.strip());
            }
            double nativeRate = Double.parseDouble(m.group(1));
            Map<String, Object> capacity = new LinkedHashMap<>();
            capacity.put("generatorMessagesPerSecond", java.messagesPerSecond());
            capacity.put("generatorBusiestThreadLoad", java.generator().busiestThreadLoad());
            capacity.put("nativeClientMessagesPerSecond", nativeRate);
            capacity.put("generatorToNativeClient", java.messagesPerSecond() / nativeRate);
            row.put("capacity", capacity);
            row.put("load", java.toJson());
            row.put("status", java.ok() ? "ok" : "failed");
            progress.done(label, String.format("generator %,.0f msg/s, native client %,.0f msg/s (%.2fx)",
                    java.messagesPerSecond(), nativeRate, java.messagesPerSecond() / nativeRate));
        } catch (IOException | RuntimeException e) {
            fail(row, e.getMessage());
            progress.done(label, "FAILED: " + e.getMessage());
        }
        report.add(row);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Map<String, Object> row(ServerSpec spec, String scenario, int connections, int size) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", spec.name());
        row.put("kind", spec.kind());
        row.put("scenario", scenario);
        row.put("connections", connections);
        row.put("size", size);
        row.put("status", "failed");
        return row;
    }

    private void fail(Map<String, Object> row, String why) {
        failures++;
        row.put("status", "failed");
        row.put("error", why);
    }

    private static String describe(Map<String, Object> row, LoadResult r) {
        String s = String.format("%,.0f msg/s, p99 %s", r.messagesPerSecond(), Report.micros(r.latency().p99()));
        if (r.starvedConnections() > 0) {
            s += String.format(", %d of %d connections starved", r.starvedConnections(), r.connectionsRequested());
        }
        if (r.generator().generatorBound()) {
            s += " [generator-bound]";
        }
        if ("failed".equals(row.get("status"))) {
            s += " FAILED: " + row.get("error");
        }
        return s;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    /** Planned seconds of every step, for the ETA. */
    private static List<Double> plan(Profile p, List<ServerSpec> servers, NativePeers natives) {
        List<Double> steps = new ArrayList<>();
        long available = servers.stream().filter(ServerSpec::available).count();
        double point = (p.warmup().toMillis() + p.duration().toMillis()) / 1e3 + 0.15;
        for (int i = 0; i < available; i++) {
            steps.add(p.firstWarmup().toMillis() / 1e3 + 1.2);
        }
        for (int i = 0; i < available * (p.connections().size() * p.sizes().size() + p.rounds() - 1); i++) {
            steps.add(point);
        }
        for (int i = 0; i < available; i++) {
            steps.add((p.warmup().toMillis() + p.openLoopDuration().toMillis()) / 1e3 + 0.3);
        }
        for (int i = 0; i < available; i++) {
            steps.add(p.warmup().toMillis() / 1e3 + p.scaleDuration().toMillis() / 1e3 + 2.0 + p.idleConnections() / 2500.0);
        }
        if (p.capacity() && natives.server != null && servers.stream().anyMatch(s -> s.name().equals("native"))) {
            steps.add(2 * (p.firstWarmup().toMillis() + p.duration().toMillis()) / 1e3 + 1);
        }
        return steps;
    }
}
