package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import echolab.bench.harness.Launcher;
import echolab.bench.harness.Measurement;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.LoadConfig;

/**
 * The real {@link Measurer}: each sample is a fresh server JVM (base or candidate tree), a closed-loop
 * run, an open-loop run at the server's fixed rate, and the server's own stop summary.
 */
final class ServerMeasurer implements Measurer {

    private final Launcher launcher;
    private final Path baseTree;
    private final Path candidateTree;
    private final Duration duration;
    private final double injectSlowdownPercent;
    private final Map<String, Double> openRates = new HashMap<>();
    private final Map<String, List<String>> candidateFlags = new HashMap<>();

    ServerMeasurer(Launcher launcher, Path baseTree, Path candidateTree, Duration duration, double injectSlowdownPercent) {
        this.launcher = launcher;
        this.baseTree = baseTree;
        this.candidateTree = candidateTree;
        this.duration = duration;
        this.injectSlowdownPercent = injectSlowdownPercent;
    }

    /** The first run of a fresh JVM still compiles; a second one calibrates the rate (and the test-only injection). */
    @Override
    public void prepare(String server) throws IOException, InterruptedException {
        run(server, baseTree, List.of(), 0);
        Sample probe = run(server, baseTree, List.of(), 0);
        openRates.put(server, Math.max(100, Math.floor(probe.throughput() / 2)));
        List<String> flags = new ArrayList<>();
        if (injectSlowdownPercent > 0) {
            // One run's CPU per message moves by 15% here; the median of three pins the injected share.
            double[] cpu = {probe.values().get(Metric.CPU_US_PER_MESSAGE),
                    run(server, baseTree, List.of(), 0).values().get(Metric.CPU_US_PER_MESSAGE),
                    run(server, baseTree, List.of(), 0).values().get(Metric.CPU_US_PER_MESSAGE)};
            Arrays.sort(cpu);
            long spin = Math.round(cpu[1] * 1000 * injectSlowdownPercent / 100);
            flags.add("-Decholab.inject.spinNanos=" + spin);
            System.err.printf("check: injecting %.0f%% into the candidate's %s: %d ns of CPU per echo%n", injectSlowdownPercent, server, spin);
        }
        candidateFlags.put(server, flags);
    }

    @Override
    public Sample measure(String server, Side side) throws IOException, InterruptedException {
        return side == Side.BASE ? run(server, baseTree, List.of(), openRates.get(server))
                : run(server, candidateTree, candidateFlags.get(server), openRates.get(server));
    }

    private Sample run(String server, Path tree, List<String> flags, double openRate) throws IOException, InterruptedException {
        ServerCatalogue.Entry entry = ServerCatalogue.named(server, ServerCatalogue.teaching());
        LoadConfig load = LoadConfig.defaults().withConnections(entry.oneAtATime() ? 1 : 10).withSize(64)
                .withWarmup(Duration.ofSeconds(1)).withDuration(duration);
        Measurement closed;
        Measurement open = null;
        ServerProcess.Stopped stopped;
        String label = (tree.equals(baseTree) ? "base " : "candidate ") + server;
        try (ServerProcess process = launcher.start(entry, tree, flags)) {
            closed = Measurement.of(process, load);
            if (openRate > 0) {
                open = Measurement.of(process, load.withWarmup(Duration.ofMillis(300)).withRate(openRate));
            }
            stopped = process.stop();
        }
        if (!closed.load().ok() || closed.load().report().messages() == 0) {
            throw new IOException(label + ": the closed-loop run failed: " + closed.load().report().errors().first());
        }
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        Map<Metric, String> missing = new EnumMap<>(Metric.class);
        long messages = closed.load().report().messages();
        values.put(Metric.US_PER_MESSAGE, 1e6 / closed.load().report().messagesPerSecond());
        values.put(Metric.CPU_US_PER_MESSAGE, closed.server().cpuSeconds() * 1e6 / messages);
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
        return new Sample(values, missing);
    }
}
