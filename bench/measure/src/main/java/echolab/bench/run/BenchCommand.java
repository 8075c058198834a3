package echolab.bench.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.harness.Checkout;
import echolab.bench.harness.CpuQuota;
import echolab.bench.base.Reproduce;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Machine;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.SyscallCounter;
import echolab.bench.remote.HostOptions;
import echolab.bench.remote.RemoteLoad;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerProcess;
import echolab.bench.results.BenchRun;
import echolab.bench.results.CpuShare;
import echolab.bench.results.Format;
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
            "Measure the four echo servers side by side, with Netty's echo and native C echoes over epoll and over",
            "io_uring as reference peers. Scenarios: (a) closed-loop sweep over connections at 64 B and over message sizes (past every buffer) at 100 connections; (b) open loop at one",
            "fixed rate for all (half the slowest concurrent server's closed-loop throughput at 100 x 64 B),",
            "latency corrected and uncorrected; (c) idle connections held plus one active; (d) the generator's",
            "own capacity against the native server. The main table's rounds measure 100 x 64 B again with each server",
            "held to half a CPU (--server-cpu), so that it, not the generator, sets the rate. Writes results.json,",
            "summary.md, charts (PNG, SVG) and .hgrm files to results/<run>/, and prints the summary table at the end."},
        footer = {"", "Profiles: quick (about 1 min), default (about 5 min), full (under 20 min, 10,000 idle connections, the variants).",
            "Exit status: 0 every scenario measured, 1 some scenario failed, 2 bad usage or a host (--load-hosts,",
            "--server-host) that cannot take part, named with what to do."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--only", split = ",", paramLabel = "NAMES",
            description = "Only these servers, comma-separated, from: sync, thread-per-conn, selector, virtual-thread, netty, netty-uring, "
                + "native, native-uring; and the variants, which run when named or with --profile full: virtual-thread+pollerMode=1, "
                + "virtual-thread+pollerMode=3, virtual-thread+carriers=1 (a variant this JDK refuses is skipped, with its reason); "
                + "and the Python peers, which run when named or with --profile full, 'python' naming them all: py-blocking, "
                + "py-threads, py-asyncore, py-asyncore+select, py-asyncio-protocol, py-uvloop, py-asyncio, py-gevent (one this "
                + "machine's Python cannot run is skipped, with its reason); and the line servers (PROTOCOL.md), which run when "
                + "named or with --profile full, 'lines' naming them all: selector-lines, virtual-thread-lines, py-asynchat, "
                + "py-asyncio-lines (a run with one adds the reference point at 10 messages a write, for every server).")
    List<String> only;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Open-loop rate (default: derived from the sweep as above).")
    Double rate;

    @Option(names = "--server-cpu", paramLabel = "PERCENT", defaultValue = "50",
            description = "The main table's rounds hold each server to this share of a CPU with its cgroup's CPU quota ("
                + CpuShare.PERIOD_MICROS / 1000 + " ms period), so that it saturates before the load generator does: its msg/s "
                + "and CPU per message are then its own, not the generator's (default: ${DEFAULT-VALUE}; 100: a whole CPU, as "
                + "every other point). Needs root and a cgroup v1 cpu hierarchy; without them the rounds run on a whole CPU "
                + "and the run says why.")
    int serverCpu;

    @Mixin
    HostOptions hosts;

    @Option(names = "--server-address", paramLabel = "ADDR", description = "The address the servers listen on (default: 127.0.0.1); "
            + "with --load-hosts, one those hosts reach; with --server-host, one of that host's.")
    String serverAddress;

    @Option(names = "--server-host", paramLabel = "HOST", description = "Run the servers on this host, over ssh, with its "
            + "echo-lab (same commit, built; ./echolab serve: the teaching servers and their variants). Their CPU, memory "
            + "and kernel figures are then not measured (they come from /proc of a process here); the load's figures are.")
    String serverHost;

    @Option(names = "--no-jfr", description = "Start the virtual-thread servers without their JDK Flight Recorder recording "
            + "(pinning, submit failures, the scheduler's counts, per trial), e.g. to see what it costs.")
    boolean noJfr;

    @Mixin
    RunOptions run;

    @Mixin
    Checkout checkout;


    private CpuShare heldTo;                       // what the main table's rounds hold each server to; null: a whole CPU
    private NativePeers nativeClient;              // the native peers, for the native client in the first held round; null without it
    private Progress progress;
    private Double openRate;                       // the open loop's rate, once decided
    private RunRecorder recorder;
    private Scenarios scenarios;
    private int failures;

    @Override
    public Integer call() throws Exception {
        Path root = checkout.root();
        List<Entry> servers = chosenServers();
        RemoteLoad.Prepared loadFrom = null;
        Launcher.RemoteHost serverOn = null;
        try {
            if (serverHost != null) {
                RemoteLoad.Hosts there = RemoteLoad.prepare(hosts.hosts(List.of(serverHost), root)).hosts();
                serverOn = new Launcher.RemoteHost(serverHost, there.ssh(), there.remoteDir());
            }
            if (hosts.loadFromHosts()) {
                loadFrom = RemoteLoad.prepare(hosts.loadHosts(root));
            }
        } catch (RemoteLoad.Unusable e) {
            e.getMessage().lines().forEach(l -> System.err.println("bench: " + l));
            return 2;
        }
        Launcher.RemoteHost on = serverOn;
        RunOptions.Setup setup = run.setUp(root, profile.label(), servers,
                launcher -> launcher.recordingVirtualThreads(!noJfr).listeningOn(serverAddress).on(on));
        Path dir = setup.dir();
        Pinning pinning = setup.pinning();
        RunSetup.Servers available = setup.servers();
        List<Entry> live = available.live();
        heldTo = heldTo();
        nativeClient = setup.natives().binary(NativePeers.CLIENT) != null && loadFrom == null ? setup.natives() : null;
        recorder = new RunRecorder(dir, profile, heldTo, Reproduce.of(spec), Machine.describe(root, pinning), available.entries());
        scenarios = new Scenarios(setup.launcher(), root, dir, loadFrom);
        Map<Entry, ServerProcess> running = new LinkedHashMap<>();
        List<Step> schedule = schedule(live, running, setup.natives());
        progress = new Progress(schedule.stream().map(Step::plannedSeconds).toList());
        System.err.printf("bench: profile %s, %d servers, writing to %s%n", profile.label(), servers.size(), dir);
        System.err.printf("bench: servers on CPU %s, generator on CPU %s; the main table's rounds hold each server to %s%n",
                pinning.pinned() ? pinning.serverCpus() : "any", pinning.pinned() ? pinning.generatorCpus() : "any",
                heldTo == null ? "nothing (a whole CPU)" : heldTo.describe());
        try {
            for (Step step : schedule) {
                step.run().run();
            }
        } finally {
            stopAll(running);
        }

        BenchRun done = recorder.finish();
        System.out.println();
        System.out.print(SummaryMarkdown.mainTable(done));
        System.out.printf("%nbench: done in %s; results in %s%n", Format.seconds(progress.elapsedSeconds()), dir);
        return failures == 0 ? 0 : 1;
    }

    /** The share of --server-cpu, or null for a whole CPU: asked for, or where no quota can be set (said once, with why). */
    private CpuShare heldTo() {
        if (serverCpu == 100) {
            return null;
        }
        String whyNot = serverHost != null ? "the servers run on " + serverHost : CpuQuota.whyUnavailable();
        if (whyNot != null) {
            System.err.println("bench: the main table's rounds run on a whole CPU, not held to " + serverCpu + "%: " + whyNot
                    + "; a server faster than the load generator then shows the generator's rate (marked generator-bound)");
            return null;
        }
        return CpuShare.of(serverCpu);
    }

    /** The servers of --only, or all (and the variants, with the full profile); an unknown one (or a bad --rate) is a usage error. */
    private List<Entry> chosenServers() {
        if (rate != null && rate <= 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive");
        }
        if (serverCpu < CpuShare.MIN_QUOTA_MICROS * 100 / CpuShare.PERIOD_MICROS || serverCpu > 100) {
            throw new ParameterException(spec.commandLine(), "--server-cpu must be " + CpuShare.MIN_QUOTA_MICROS * 100 / CpuShare.PERIOD_MICROS
                    + " to 100 (percent of a CPU), not " + serverCpu);
        }
        boolean loopback = HostOptions.loopback(serverAddress);
        if (serverHost != null && loopback) {
            throw new ParameterException(spec.commandLine(), "--server-host needs --server-address: the address of " + serverHost
                    + " that the load reaches it at");
        }
        if (hosts.loadFromHosts() && loopback) {
            throw new ParameterException(spec.commandLine(), "--load-hosts needs --server-address: an address of this machine that "
                    + "the load hosts reach (the servers listen on 127.0.0.1 otherwise)");
        }
        return RunSetup.servers(only, profile == Profile.FULL ? ServerCatalogue.runnable() : ServerCatalogue.ALL, spec);
    }

    private void warmStart(Entry server, Map<Entry, ServerProcess> running) throws InterruptedException {
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

    private void point(Entry server, Map<Entry, ServerProcess> running, LoadConfig config, int round)
            throws InterruptedException {
        point(server, running, config, round, config.openLoop() ? Kind.OPEN : Kind.CLOSED);
    }

    /**
     * One point on one of the running servers; a server that died is restarted for its next one. {@code kind}:
     * {@link Kind#SYSCALLS}, the kernel counts its system calls; {@link Kind#HELD}, it is held to {@link #heldTo}.
     */
    private void point(Entry server, Map<Entry, ServerProcess> running, LoadConfig config, int round, Kind kind)
            throws InterruptedException {
        ServerProcess process = running.get(server);
        if (process == null || !process.alive()) {
            if (process != null) {
                process.close();
            }
            running.remove(server);
            warmStart(server, running);
            process = running.get(server);
        }
        String label = String.format("%s %s c=%d s=%d%s%s", server.name(),
                kind == Kind.SYSCALLS ? "system calls" : kind == Kind.HELD ? "held to " + heldTo.percent() + "% of a CPU"
                        : kind == Kind.PIPELINED ? config.pipeline() + " to a write" + (round > profile.rounds() ? ", system calls"
                                : heldTo == null ? "" : ", held to " + heldTo.percent() + "% of a CPU")
                        : kind.label(),
                config.connections(), config.size(), config.openLoop() ? String.format(" rate=%.0f", config.rate()) : "",
                round > 1 ? " round " + round : "");
        progress.starting(label);
        Trial trial = process == null ? Trial.failed(server.name(), round, "the server is not running")
                : switch (kind) {
                    case SYSCALLS -> scenarios.counted(process, server, config);
                    case HELD -> scenarios.held(process, server, config, round, heldTo, round == 1 ? nativeClient : null);
                    case PIPELINED -> scenarios.pipelined(process, server, config, round, heldTo, round > profile.rounds());
                    default -> scenarios.point(process, server, config, round);
                };
        record(kind, config.connections(), config.size(), config.openLoop() ? config.rate() : null, label, trial);
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
        String s = String.format("%,.0f msg/s, p99 %s", t.throughput(), Format.micros(t.latency(Percentile.P99)));
        if (t.load().starvedConnections() > 0) {
            s += String.format(", %d of %d connections never answered", t.load().starvedConnections(), t.load().connectionsRequested());
        }
        if (t.load().rampUpSeconds() > 1) {
            s += String.format(", ramp-up %.1f s", t.load().rampUpSeconds());
        }
        switch (t.figures()) {
            case Trial.Figures.Idle(Trial.ScaleStats idle) -> s += String.format("; %d idle held (%d accepted), %s KiB and %s threads per connection",
                    idle.idleOpened(), idle.idleAcceptedByServer(), Format.number(idle.rssPerIdleConnectionKiB(), "%+.2f"),
                    Format.number(idle.threadsPerIdleConnection(), "%+.3f"));
            case Trial.Figures.AgainstNativeClient(Trial.CapacityStats c) -> s += String.format("; native client %,.0f msg/s (%.2fx)",
                    c.nativeClientMessagesPerSecond(), c.generatorToNativeClient());
            case Trial.Figures.Plain p -> {
            }
            case Trial.Figures.Step st -> {
            }
            case Trial.Figures.Point pt -> {
            }
        }
        Trial.SystemCalls calls = t.serverStats() == null ? null : t.serverStats().systemCalls();
        if (calls != null) {
            s += String.format("; %.2f system calls per message (%.2f reads, %.2f writes)", calls.all(), calls.reads(), calls.writes());
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

    /** One step of the run: its planned seconds (for the ETA) and what it does. */
    private record Step(double plannedSeconds, Action run) {
    }

    @FunctionalInterface
    private interface Action {
        void run() throws InterruptedException;
    }

    /**
     * The run, step by step, written once: the progress line's plan is read from it. All servers run at
     * once, idle but for the one being measured, so that the scenarios can be interleaved: each point of
     * the sweep measures every server back to back, in a rotating order, and the reference point is
     * repeated in rounds; drift on a shared machine then hits them alike. Then the reference point once
     * more per server with the kernel counting its system calls (where perf can); when a line server is in the run, the
     * reference point with ten messages to a write for every server, so that each line server sits beside its stream
     * twin with framing exercised. Then each server alone, in a
     * fresh process, for the idle connections; then the generator against the native client.
     */
    private List<Step> schedule(List<Entry> live, Map<Entry, ServerProcess> running, NativePeers natives) {
        Profile p = profile;
        List<Step> steps = new ArrayList<>();
        double point = seconds(p.warmup()) + seconds(p.duration()) + 0.2;
        for (Entry server : live) {
            steps.add(new Step(seconds(p.firstWarmup()) + 1.2, () -> warmStart(server, running)));
        }
        int turn = 0;
        for (int[] at : p.sweep()) {
            for (Entry server : rotate(live, turn++)) {
                steps.add(new Step(point, () -> point(server, running, Scenarios.load(at[0], at[1], p.warmup(), p.duration()), 1)));
            }
        }
        for (int round = heldTo == null ? 2 : 1; round <= p.rounds(); round++) {   // unheld, the sweep's point is round 1
            int r = round;
            double planned = heldTo != null && r == 1 && nativeClient != null ? 2 * point : point;
            for (Entry server : rotate(live, turn++)) {
                steps.add(new Step(planned, () -> point(server, running, Scenarios.load(Scenario.REFERENCE_CONNECTIONS,
                        Scenario.REFERENCE_SIZE, p.warmup(), p.duration()), r, heldTo == null ? Kind.CLOSED : Kind.HELD)));
            }
        }
        for (Entry server : rotate(live, turn++)) {
            steps.add(new Step(seconds(p.warmup()) + seconds(p.openLoopDuration()) + 0.3, () -> openPoint(server, running)));
        }
        String noCounting = serverHost != null ? "the servers run on " + serverHost : SyscallCounter.whyUnavailable();
        Duration counted = p.duration().compareTo(Duration.ofMillis(800)) < 0 ? p.duration() : Duration.ofMillis(800);
        Duration countedWarmup = p.warmup().compareTo(Duration.ofMillis(300)) < 0 ? p.warmup() : Duration.ofMillis(300);
        if (live.stream().anyMatch(s -> s.terminator().isPresent())) {   // a line server: framing exercised, beside its twin
            for (int round = 1; round <= p.rounds(); round++) {            // as the main table's rounds: held, interleaved
                int r = round;
                for (Entry server : rotate(live, turn++)) {
                    steps.add(new Step(point, () -> point(server, running, Scenarios.load(Scenario.REFERENCE_CONNECTIONS,
                            Scenario.REFERENCE_SIZE, p.warmup(), p.duration()).withPipeline(Scenario.PIPELINED_MESSAGES), r, Kind.PIPELINED)));
                }
            }
            if (noCounting == null) {                                      // then once with the kernel counting its calls
                for (Entry server : rotate(live, turn++)) {
                    steps.add(new Step(seconds(countedWarmup) + seconds(counted) + 0.5, () -> point(server, running,
                            Scenarios.load(Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, countedWarmup, counted)
                                    .withPipeline(Scenario.PIPELINED_MESSAGES), p.rounds() + 1, Kind.PIPELINED)));
                }
            }
        }
        if (noCounting != null) {
            System.err.println("bench: system calls not counted: " + noCounting);
        } else {
            for (Entry server : rotate(live, turn++)) {
                steps.add(new Step(seconds(countedWarmup) + seconds(counted) + 0.5, () -> point(server, running,
                        Scenarios.load(Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, countedWarmup, counted), 1, Kind.SYSCALLS)));
            }
        }
        if (serverHost != null) {
            System.err.println("bench: the idle connections and the generator's own capacity are measured from a server's /proc "
                    + "here; skipped, the servers run on " + serverHost);
            return steps;
        }
        for (Entry server : live) {
            steps.add(new Step(seconds(p.warmup()) + seconds(p.scaleDuration()) + 2.0 + p.idleConnections() / 2500.0, () -> {
                stopAll(running);                        // the idle connections are measured with each server alone
                String label = String.format("%s scale idle=%d", server.name(), p.idleConnections());
                progress.starting(label);
                record(Kind.SCALE, p.idleConnections() + 1, Scenario.REFERENCE_SIZE, null, label,
                        scenarios.scale(server, p.idleConnections(), p.warmup(), p.scaleDuration()));
            }));
        }
        Entry nativeEntry = live.stream().filter(s -> s instanceof ServerCatalogue.NativePeer peer && peer.program().equals(NativePeers.EPOLL_SERVER)).findFirst().orElse(null);
        if (p.capacity() && nativeEntry != null && natives.binary(NativePeers.CLIENT) != null) {
            steps.add(new Step(2 * (seconds(p.firstWarmup()) + seconds(p.duration())) + 1, () -> {
                String label = "generator capacity vs native client";
                progress.starting(label);
                record(Kind.CAPACITY, Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, null, label,
                        scenarios.capacity(nativeEntry, natives, p.firstWarmup(), p.duration()));
            }));
        }
        return steps;
    }

    /** The open loop at one rate for every server: --rate, or derived from the sweep once it is measured. */
    private void openPoint(Entry server, Map<Entry, ServerProcess> running) throws InterruptedException {
        if (openRate == null) {
            openRate = rate != null ? rate : recorder.snapshot().derivedOpenLoopRate();
            if (openRate > 0) {
                recorder.openLoopRate(openRate);
            } else {
                System.err.println("bench: no closed-loop throughput at 100 x 64 B to derive an open-loop rate from; skipping (b)");
            }
        }
        if (openRate > 0) {
            point(server, running, Scenarios.load(profile.openLoopConnections(), Scenario.REFERENCE_SIZE, profile.warmup(),
                    profile.openLoopDuration()).withRate(openRate), 1);
        } else {
            progress.done(server.name() + " open", "skipped: no open-loop rate");
        }
    }

    private static void stopAll(Map<Entry, ServerProcess> running) throws InterruptedException {
        for (ServerProcess server : running.values()) {
            server.close();
        }
        running.clear();
    }

    private static double seconds(java.time.Duration d) {
        return d.toMillis() / 1e3;
    }
}
