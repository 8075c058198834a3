package echolab.bench.run;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import echolab.bench.Checkout;
import echolab.bench.Reproduce;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Machine;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerProcess;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Format;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.RunOutput;
import echolab.bench.results.Scenario;
import echolab.bench.results.Scenario.Kind;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;
import echolab.bench.load.LoadConfig;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./echolab bench}: the side-by-side run. Each server in its own process, pinned apart from the
 * generator; the scenarios of the profile, interleaved; results written to results/RUN/ as they come.
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

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--only", split = ",", paramLabel = "NAMES",
            description = "Only these servers, comma-separated, from: sync, thread-per-conn, selector, virtual-thread, netty, native.")
    List<String> only;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: a new results/<date>T<time>-<profile>/); "
            + "refused if it already holds a run, unless --replace.")
    Path out;

    @Option(names = "--replace", description = "With --out: empty a folder that already holds a run and write this one there.")
    boolean replace;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Open-loop rate (default: derived from the sweep as above).")
    Double rate;

    @Option(names = "--no-pin", description = "Do not pin server and generator to separate cores.")
    boolean noPin;

    @Mixin
    Checkout checkout;


    private Progress progress;
    private RunRecorder recorder;
    private Scenarios scenarios;
    private int failures;

    @Override
    public Integer call() throws Exception {
        Path root = checkout.root();
        List<Entry> servers = new ArrayList<>();
        try {
            for (String name : only != null ? only : ServerCatalogue.names(ServerCatalogue.ALL)) {
                servers.add(ServerCatalogue.named(name, ServerCatalogue.ALL));
            }
            if (rate != null && rate <= 0) {
                throw new IllegalArgumentException("--rate must be positive");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir;
        try {
            dir = out != null ? RunOutput.claimFolder(out, ResultsFile.NAME, replace, "--out")
                    : RunOutput.newFolder(root.resolve("results"),
                            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss")) + "-" + profile.label());
        } catch (RunOutput.Taken e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        NativePeers natives = NativePeers.build(root);
        Pinning pinning = Pinning.apply(noPin);
        Launcher launcher = new Launcher(Launcher.currentJava(), pinning, natives.server());

        List<BenchRun.ServerEntry> entries = new ArrayList<>();
        List<Entry> live = new ArrayList<>();
        for (Entry s : servers) {
            String skipped = launcher.unavailable(s, root, natives.problem());
            entries.add(new BenchRun.ServerEntry(s.name(), s.kind().label(), s.oneAtATime(), launcher.command(s, root, List.of()), skipped));
            if (skipped == null) {
                live.add(s);
            } else {
                System.err.println("bench: skipping " + s.name() + ": " + skipped);
            }
        }
        String command = Reproduce.of(spec);
        recorder = new RunRecorder(dir, profile, command, Machine.describe(root, pinning), entries);
        scenarios = new Scenarios(launcher, root, dir);
        progress = new Progress(plan(profile, live.size(), natives.client() != null && live.stream().anyMatch(s -> !s.isJvm())));
        System.err.printf("bench: profile %s, %d servers, writing to %s%n", profile.label(), servers.size(), dir);
        System.err.printf("bench: servers on CPU %s, generator on CPU %s%n",
                pinning.pinned() ? pinning.serverCpus() : "any", pinning.pinned() ? pinning.generatorCpus() : "any");

        // All servers run at once, idle but for the one being measured, so that the scenarios can be
        // interleaved: each point of the sweep measures every server back to back, in a rotating order,
        // and the reference point is repeated in rounds. Drift on a shared machine then hits them alike.
        Map<Entry, ServerProcess> running = new LinkedHashMap<>();
        for (Entry server : live) {
            warmStart(server, running, profile);
        }
        int step = 0;
        for (int size : profile.sizes()) {
            for (int c : profile.connections()) {
                for (Entry server : rotate(live, step++)) {
                    point(server, running, profile, Scenarios.load(c, size, profile.warmup(), profile.duration()), 1);
                }
            }
        }
        for (int round = 2; round <= profile.rounds(); round++) {
            for (Entry server : rotate(live, step++)) {
                point(server, running, profile, Scenarios.load(Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE,
                        profile.warmup(), profile.duration()), round);
            }
        }
        double openRate = rate != null ? rate : recorder.snapshot().derivedOpenLoopRate();
        if (openRate > 0) {
            recorder.openLoopRate(openRate);
            for (Entry server : rotate(live, step++)) {
                point(server, running, profile, Scenarios.load(profile.openLoopConnections(), Scenario.REFERENCE_SIZE,
                        profile.warmup(), profile.openLoopDuration()).withRate(openRate), 1);
            }
        } else {
            System.err.println("bench: no closed-loop throughput at 100 x 64 B to derive an open-loop rate from; skipping (b)");
        }
        for (ServerProcess server : running.values()) {
            server.close();
        }

        for (Entry server : live) {
            String label = String.format("%s scale idle=%d", server.name(), profile.idleConnections());
            progress.starting(label);
            record(Kind.SCALE, profile.idleConnections() + 1, Scenario.REFERENCE_SIZE, null, label,
                    scenarios.scale(server, profile.idleConnections(), profile.warmup(), profile.scaleDuration()));
        }
        Entry nativeEntry = live.stream().filter(s -> !s.isJvm()).findFirst().orElse(null);
        if (profile.capacity() && nativeEntry != null && natives.client() != null) {
            String label = "generator capacity vs native client";
            progress.starting(label);
            record(Kind.CAPACITY, Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, null, label,
                    scenarios.capacity(nativeEntry, natives, profile.firstWarmup(), profile.duration()));
        }

        BenchRun done = recorder.finish();
        System.out.println();
        System.out.print(SummaryMarkdown.mainTable(done));
        System.out.printf("%nbench: done in %s; results in %s%n", Format.seconds(progress.elapsedSeconds()), dir);
        return failures == 0 ? 0 : 1;
    }

    private void warmStart(Entry server, Map<Entry, ServerProcess> running, Profile profile) throws InterruptedException {
        String label = server.name() + " start and warm-up";
        progress.starting(label);
        try {
            ServerProcess process = scenarios.warmStart(server, profile.firstWarmup());
            running.put(server, process);
            progress.done(label, "ready on port " + process.port());
        } catch (java.io.IOException | RuntimeException e) {
            progress.done(label, "FAILED: " + e.getMessage());
        }
    }

    /** One point on one of the running servers; a server that died is restarted for its next one. */
    private void point(Entry server, Map<Entry, ServerProcess> running, Profile profile, LoadConfig config, int round)
            throws InterruptedException {
        ServerProcess process = running.get(server);
        if (process == null || !process.alive()) {
            if (process != null) {
                process.close();
            }
            running.remove(server);
            warmStart(server, running, profile);
            process = running.get(server);
        }
        String label = String.format("%s %s c=%d s=%d%s%s", server.name(), config.openLoop() ? "open" : "closed",
                config.connections(), config.size(), config.openLoop() ? String.format(" rate=%.0f", config.rate()) : "",
                round > 1 ? " round " + round : "");
        progress.starting(label);
        Trial trial = process == null ? Trial.failed(server.name(), round, "the server is not running")
                : scenarios.point(process, server, config, round);
        record(config.openLoop() ? Kind.OPEN : Kind.CLOSED, config.connections(), config.size(),
                config.openLoop() ? config.rate() : null, label, trial);
    }

    private void record(Kind kind, int connections, int size, Double rate, String label, Trial trial) {
        recorder.add(kind, connections, size, rate, trial);
        if (trial.status() == Trial.Status.FAILED) {
            failures++;
        }
        progress.done(label, describe(trial));
    }

    private static String describe(Trial t) {
        if (t.load() == null) {
            return "FAILED: " + t.error();
        }
        String s = String.format("%,.0f msg/s, p99 %s", t.throughput(), Format.micros(t.latency("p99")));
        if (t.load().starvedConnections() > 0) {
            s += String.format(", %d of %d connections never answered", t.load().starvedConnections(), t.load().connectionsRequested());
        }
        if (t.load().rampUpSeconds() > 1) {
            s += String.format(", ramp-up %.1f s", t.load().rampUpSeconds());
        }
        if (t.scale() != null) {
            s += String.format("; %d idle held (%d accepted), %s KiB and %s threads per connection", t.scale().idleOpened(),
                    t.scale().idleAcceptedByServer(), Format.number(t.scale().rssPerIdleConnectionKiB(), "%+.2f"),
                    Format.number(t.scale().threadsPerIdleConnection(), "%+.3f"));
        }
        if (t.capacity() != null) {
            s += String.format("; native client %,.0f msg/s (%.2fx)", t.capacity().nativeClientMessagesPerSecond(),
                    t.capacity().generatorToNativeClient());
        }
        if (t.generatorBound()) {
            s += " [generator-bound]";
        }
        return t.status() == Trial.Status.FAILED ? s + " FAILED: " + t.error() : s;
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> rotated = new ArrayList<>(list);
        if (!rotated.isEmpty()) {
            Collections.rotate(rotated, -(by % rotated.size()));
        }
        return rotated;
    }

    /** Planned seconds of every step, for the ETA. */
    private static List<Double> plan(Profile p, int servers, boolean capacity) {
        List<Double> steps = new ArrayList<>();
        double point = (p.warmup().toMillis() + p.duration().toMillis()) / 1e3 + 0.2;
        for (int i = 0; i < servers; i++) {
            steps.add(p.firstWarmup().toMillis() / 1e3 + 1.2);
        }
        for (int i = 0; i < servers * (p.connections().size() * p.sizes().size() + p.rounds() - 1); i++) {
            steps.add(point);
        }
        for (int i = 0; i < servers; i++) {
            steps.add((p.warmup().toMillis() + p.openLoopDuration().toMillis()) / 1e3 + 0.3);
        }
        for (int i = 0; i < servers; i++) {
            steps.add(p.warmup().toMillis() / 1e3 + p.scaleDuration().toMillis() / 1e3 + 2.0 + p.idleConnections() / 2500.0);
        }
        if (p.capacity() && capacity) {
            steps.add(2 * (p.firstWarmup().toMillis() + p.duration().toMillis()) / 1e3 + 1);
        }
        return steps;
    }
}
