package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import echolab.bench.results.CpuClock;
import echolab.bench.harness.CpuCgroup;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Measurement;
import echolab.bench.harness.ProcReading.Io;
import echolab.bench.harness.ProcReading.Switches;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.LoadConfig;
import echolab.bench.results.Trial;

/**
 * The real {@link Measurer}. A round starts a fresh JVM of the base and one of the candidate, side by
 * side on the server cores, warms both, then measures them in {@value #WINDOWS} alternating pairs of
 * short closed-loop windows, each pair in a random order: a burst of noise on this shared machine (a
 * neighbour, a compile) lands on both versions within a second of each other and cancels in their
 * ratio, which it does not when the two are measured seconds apart. A first pair of windows settles
 * both and is not counted. Then, while it reports, the open loop at the server's fixed rate; then both
 * stop, and their stop summaries give allocation and threads.
 */
final class ServerMeasurer implements Measurer {

    static final int WINDOWS = 4;
    /**
     * Pairs of windows run like the measured ones but not counted: a JVM's first window after its warm-up
     * still runs code the JIT has not finished with, and costs more CPU per message than the windows after
     * it; counting it would add that settling to the spread of every round.
     */
    static final int SETTLING_PAIRS = 1;
    static final Duration WARMUP = Duration.ofMillis(500);
    static final Duration WINDOW_WARMUP = Duration.ofMillis(100);

    private final Launcher launcher;
    private final Path baseTree;
    private final Path candidateTree;
    private final Duration window;
    private final double injectSlowdownPercent;
    private final boolean injectSyscall;
    private final Map<String, Double> openRates = new HashMap<>();
    private final Map<String, List<String>> candidateFlags = new HashMap<>();
    private final Map<String, Long> spinNanos = new java.util.TreeMap<>();
    private CpuClock clock;                   // decided by the first server started

    /** @param duration measured time per version and round, split into the alternating windows */
    ServerMeasurer(Launcher launcher, Path baseTree, Path candidateTree, Duration duration, double injectSlowdownPercent,
                   boolean injectSyscall) {
        this.launcher = launcher;
        this.baseTree = baseTree;
        this.candidateTree = candidateTree;
        this.window = duration.dividedBy(WINDOWS);
        this.injectSlowdownPercent = injectSlowdownPercent;
        this.injectSyscall = injectSyscall;
    }

    /**
     * A server that serves one connection at a time gets windows twice as long. It is busy less than half
     * the time, and its CPU per message spreads more from window to window: with the kernel's tick clock
     * because few ticks land in a short window, and, with the cgroup's nanoseconds too, enough that a
     * four-server run with the shorter windows could not judge it (see the README's "Server CPU time").
     */
    private LoadConfig closedLoop(ServerCatalogue.TeachingServer entry) {
        return LoadConfig.defaults().withConnections(entry.oneAtATime() ? 1 : 10).withSize(64).withWarmup(WINDOW_WARMUP)
                .withDuration(entry.oneAtATime() ? window.multipliedBy(2) : window);
    }

    /** One warmed base JVM, three windows: the open-loop rate (half its throughput) and the test-only injection. */
    @Override
    public void prepare(String server) throws IOException, InterruptedException {
        ServerCatalogue.TeachingServer entry = ServerCatalogue.named(server, ServerCatalogue.checkable());
        Totals probe = new Totals();
        try (ServerProcess p = launcher.start(entry, baseTree, List.of())) {
            if (clock == null) {
                clock = p.cpuClockProblem() == null ? CpuClock.CGROUP : CpuClock.TICKS;
                System.err.println("check: server CPU time from " + clock.label
                        + (p.cpuClockProblem() == null ? "" : ": " + p.cpuClockProblem()));
            }
            checked("base " + server, Measurement.of(p, closedLoop(entry).withWarmup(WARMUP)));
            for (int i = 0; i < 3; i++) {
                probe.add(checked("base " + server, Measurement.of(p, closedLoop(entry))));
            }
        }
        openRates.put(server, Math.max(100, Math.floor(probe.messages / probe.seconds / 2)));
        List<String> flags = new ArrayList<>();
        if (injectSlowdownPercent > 0) {
            long spin = Math.round(probe.cpuSeconds * 1e9 / probe.messages * injectSlowdownPercent / 100);
            flags.add("-Decholab.inject.spinNanos=" + spin);
            spinNanos.put(server, spin);
            System.err.printf("check: injecting %.0f%% into the candidate's %s: %d ns of CPU per echo%n", injectSlowdownPercent, server, spin);
        }
        if (injectSyscall) {
            flags.add("-Decholab.inject.extraWrite=true");
            System.err.printf("check: injecting one more write system call per echo into the candidate's %s%n", server);
        }
        candidateFlags.put(server, flags);
    }

    /** Per server, the ns of CPU the injected slowdown spins per echo in the candidate; empty without one. */
    Map<String, Long> spinNanos() {
        return Map.copyOf(spinNanos);
    }

    @Override
    public String cpuClock() {
        return clock == null ? "not measured" : clock.label;
    }

    @Override
    public MetricValues[] measureRound(String server, Random order, boolean openLoop) throws IOException, InterruptedException {
        ServerCatalogue.TeachingServer entry = ServerCatalogue.named(server, ServerCatalogue.checkable());
        LoadConfig closed = closedLoop(entry);
        Side[] sides = order.nextBoolean() ? new Side[] {Side.BASE, Side.CANDIDATE} : new Side[] {Side.CANDIDATE, Side.BASE};
        ServerProcess[] process = new ServerProcess[2];
        Totals[] totals = {new Totals(), new Totals()};
        Measurement[] open = new Measurement[2];
        ServerProcess.Stopped[] stopped = new ServerProcess.Stopped[2];
        try {
            for (Side s : sides) {
                process[s.ordinal()] = launcher.start(entry, s == Side.BASE ? baseTree : candidateTree,
                        s == Side.BASE ? List.of() : candidateFlags.get(server));
            }
            for (Side s : sides) {
                checked(label(s, server), Measurement.of(process[s.ordinal()], closed.withWarmup(WARMUP)));
            }
            for (int i = -SETTLING_PAIRS; i < WINDOWS; i++) {
                boolean baseFirst = order.nextBoolean();
                for (Side s : baseFirst ? new Side[] {Side.BASE, Side.CANDIDATE} : new Side[] {Side.CANDIDATE, Side.BASE}) {
                    Measurement m = checked(label(s, server), Measurement.of(process[s.ordinal()], closed));
                    if (i >= 0) {
                        totals[s.ordinal()].add(m);
                    }
                }
            }
            if (openLoop) {
                for (Side s : sides) {
                    open[s.ordinal()] = Measurement.of(process[s.ordinal()], closed.withWarmup(Duration.ofMillis(300))
                            .withDuration(window.multipliedBy(2)).withRate(openRates.get(server)));
                }
            }
            for (Side s : sides) {
                stopped[s.ordinal()] = process[s.ordinal()].stop();
            }
        } finally {
            for (ServerProcess p : process) {
                if (p != null) {
                    p.close();
                }
            }
        }
        MetricValues[] samples = new MetricValues[2];
        for (Side s : Side.values()) {
            samples[s.ordinal()] = sample(label(s, server), totals[s.ordinal()], open[s.ordinal()], stopped[s.ordinal()]);
        }
        return samples;
    }

    private static String label(Side side, String server) {
        return (side == Side.BASE ? "base " : "candidate ") + server;
    }

    private static Measurement checked(String label, Measurement m) throws IOException {
        if (!m.load().ok() || m.load().report().messages() == 0) {
            throw new IOException(label + ": a closed-loop run failed: " + m.load().report().errors().first());
        }
        return m;
    }

    private static MetricValues sample(String label, Totals t, Measurement open, ServerProcess.Stopped stopped) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        Map<Metric, String> missing = new EnumMap<>(Metric.class);
        values.put(Metric.US_PER_MESSAGE, t.seconds * 1e6 / t.messages);
        values.put(Metric.CPU_US_PER_MESSAGE, t.cpuSeconds * 1e6 / t.messages);
        if (t.clocks.equals(java.util.Set.of(CpuClock.CGROUP))) {
            values.put(Metric.CPU_TICK_US_PER_MESSAGE, t.tickCpuSeconds * 1e6 / t.messages);
        }
        Trial.KernelCounts k = Measurement.perMessage(t.io, t.switches, t.messages);
        put(values, missing, Metric.READ_CALLS_PER_MESSAGE, k.readCalls(), label);
        put(values, missing, Metric.WRITE_CALLS_PER_MESSAGE, k.writeCalls(), label);
        put(values, missing, Metric.BYTES_READ_PER_MESSAGE, k.bytesRead(), label);
        put(values, missing, Metric.BYTES_WRITTEN_PER_MESSAGE, k.bytesWritten(), label);
        put(values, missing, Metric.VOLUNTARY_SWITCHES_PER_MESSAGE, k.voluntarySwitches(), label);
        put(values, missing, Metric.INVOLUNTARY_SWITCHES_PER_MESSAGE, k.involuntarySwitches(), label);
        if (open != null) {
            values.put(Metric.OPEN_P50_US, open.load().report().latencyMicros().p50());
            values.put(Metric.OPEN_P99_US, open.load().report().latencyMicros().p99());
        }
        if (stopped.summary() != null) {
            double echoed = Math.max(1, stopped.summary().bytesEchoed() / 64.0);
            values.put(Metric.ALLOC_BYTES_PER_MESSAGE, stopped.summary().bytesAllocated() / echoed);
            values.put(Metric.THREADS_STARTED, (double) stopped.summary().threadsStarted());
        } else {
            missing.put(Metric.ALLOC_BYTES_PER_MESSAGE, label + ": " + stopped.problem());
            missing.put(Metric.THREADS_STARTED, label + ": " + stopped.problem());
        }
        return new MetricValues(values, missing);
    }

    private static void put(Map<Metric, Double> values, Map<Metric, String> missing, Metric metric, Double value, String label) {
        if (value != null) {
            values.put(metric, value);
        } else {
            missing.put(metric, label + ": /proc did not tell (" + metric.description + ")");
        }
    }

    /** The windows of one version in one round, added up: per-message figures are totals over total messages. */
    private static final class Totals {
        long messages;
        double seconds;
        double cpuSeconds;
        double tickCpuSeconds;
        final java.util.Set<CpuClock> clocks = java.util.EnumSet.noneOf(CpuClock.class);
        Io io = new Io(0, 0, 0, 0);                  // null once a window could not read them
        Switches switches = new Switches(0, 0);

        void add(Measurement m) {
            messages += m.messages();
            seconds += m.load().report().seconds();
            cpuSeconds += m.window().cpuSeconds();
            tickCpuSeconds += m.window().tickCpuSeconds();
            clocks.add(m.window().cpuClock());
            io = Io.plus(io, m.window().io());
            switches = Switches.plus(switches, m.window().switches());
        }
    }
}
