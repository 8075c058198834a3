package echolab.bench.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Measurement;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ProcReading;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.IntervalLog;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadReport;
import echolab.bench.load.LoadResult;
import echolab.bench.remote.RemoteLoad;
import echolab.bench.base.RunOutput;
import echolab.bench.results.CpuShare;
import echolab.bench.results.Scenario;
import echolab.bench.results.Trial;
import echolab.bench.results.Trial.Status;

/**
 * How each scenario measures one server and turns what it saw into a {@link Trial}: a load point on a
 * running server (closed or open loop), idle connections held on a fresh one (scale), and the
 * generator against a native client (capacity). The order and interleaving are {@link BenchCommand}'s;
 * {@code ./echolab capacity} measures its search's points here too.
 */
public final class Scenarios {

    private final Launcher launcher;
    private final Path root;
    private final Path dir;
    private final RemoteLoad.Prepared hosts;            // load hosts for the points, or null

    public Scenarios(Launcher launcher, Path root, Path dir) {
        this(launcher, root, dir, null);
    }

    /** As above, the closed- and open-loop points loaded from other hosts ({@code hosts}; null: from here). */
    public Scenarios(Launcher launcher, Path root, Path dir, RemoteLoad.Prepared hosts) {
        this.launcher = launcher;
        this.root = root;
        this.dir = dir;
        this.hosts = hosts;
    }

    public static LoadConfig load(int connections, int size, Duration warmup, Duration duration) {
        return LoadConfig.defaults().withConnections(connections).withSize(size).withWarmup(warmup).withDuration(duration);
    }

    /** Starts a server; a first load warms it, since a fresh JVM compiles its hot paths on the server's own core. */
    public ServerProcess warmStart(Entry server, Duration warmup) throws IOException, InterruptedException {
        ServerProcess process = launcher.start(server, root, List.of());
        Measurement.of(process, load(Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, warmup, Duration.ofMillis(200)));
        return process;
    }

    /** A closed- or open-loop point on a running server. */
    public Trial point(ServerProcess server, Entry entry, LoadConfig config, int round) throws InterruptedException {
        return point(server, entry, config, round, false, config.openLoop() ? "open" : "closed");
    }

    /**
     * A closed-loop point with several messages in flight per connection, sent in one write ({@link Scenario.Kind#PIPELINED}),
     * the server held to {@code share} of a CPU as the main table's rounds are (null: a whole CPU); with {@code countCalls},
     * the kernel counts the server's system calls instead (its time and CPU are then not read).
     */
    public Trial pipelined(ServerProcess server, Entry entry, LoadConfig config, int round, CpuShare share, boolean countCalls)
            throws InterruptedException {
        if (countCalls || share == null) {
            return point(server, entry, config, round, countCalls, "pipelined");
        }
        try (ServerProcess.Held held = server.heldTo(share)) {
            return point(server, entry, config, round, false, "pipelined");
        } catch (IOException e) {
            return Trial.failed(entry.name(), round, "holding it to " + share.describe() + ": " + e.getMessage());
        }
    }

    /** A closed-loop point on a running server with its system calls counted by the kernel ({@link Kind#SYSCALLS}). */
    public Trial counted(ServerProcess server, Entry entry, LoadConfig config) throws InterruptedException {
        return point(server, entry, config, 1, true, "syscalls");
    }

    /**
     * A closed-loop point on a running server held to {@code share} of a CPU for its warm-up and window
     * ({@link Scenario.Kind#HELD}), and let go after. With {@code natives} (their client built), the same load
     * from the minimal native client follows under the same hold: the trial's capacity figures set the
     * generator's rate beside the native client's, so that a rate limited by echo-lab's generator would show.
     */
    public Trial held(ServerProcess server, Entry entry, LoadConfig config, int round, CpuShare share, NativePeers natives)
            throws InterruptedException {
        try (ServerProcess.Held held = server.heldTo(share)) {
            Trial t = point(server, entry, config, round, false, "held");
            if (natives == null || t.status() == Status.FAILED || t.load() == null || server.terminator().isPresent()) {   // the native client sends a stream
                return t;
            }
            return t.with(againstNativeClient(t.load(), nativeClientRate(natives, server, config.warmup(), config.duration())));
        } catch (IOException e) {
            return Trial.failed(entry.name(), round, "holding it to " + share.describe() + ": " + e.getMessage());
        }
    }

    /** The generator's rate in {@code r} beside the native client's {@code nativeRate} against the same server. */
    private static Trial.Figures againstNativeClient(LoadReport r, double nativeRate) {
        return new Trial.Figures.AgainstNativeClient(new Trial.CapacityStats(r.messagesPerSecond(),
                r.generator().busiestThreadLoad(), nativeRate, r.messagesPerSecond() / nativeRate));
    }

    /** The round trips per second of the native client against {@code server}: the reference point's load, on the generator's CPUs. */
    private double nativeClientRate(NativePeers natives, ServerProcess server, Duration warmup, Duration duration)
            throws IOException, InterruptedException {
        List<String> command = launcher.pinning().generator(List.of(natives.binary(NativePeers.CLIENT).toString(), "--port",
                String.valueOf(server.port()), "--connections", String.valueOf(Scenario.REFERENCE_CONNECTIONS), "--size",
                String.valueOf(Scenario.REFERENCE_SIZE), "--seconds", String.valueOf(duration.toMillis() / 1e3), "--warmup",
                String.valueOf(warmup.toMillis() / 1e3)));
        ChildProcess.Result client = ChildProcess.run(command, null, duration.plus(warmup).plusSeconds(30));
        Matcher m = Pattern.compile("(\\d+) round trips/s").matcher(client.output());
        if (!m.find()) {
            throw new IOException("native client: " + client.output().strip());
        }
        return Double.parseDouble(m.group(1));
    }

    /** A point named {@code what} in its files (closed, open, syscalls, held); {@code countCalls}: the kernel counts its calls. */
    private Trial point(ServerProcess server, Entry entry, LoadConfig config, int round, boolean countCalls, String what)
            throws InterruptedException {
        try {
            String name = String.format("%s-%s%s-c%d-s%d", entry.name(), what,
                    round > 1 ? "-r" + round : "", config.connections(), config.size());
            String hlog = "hgrm/" + name + ".hlog";
            Measurement m = countCalls ? Measurement.counted(server, config)
                    : hosts != null ? fromHosts(server, config, dir.resolve(hlog))
                    : logged(server, config, hlog);
            return trial(entry.name(), round, countCalls ? m : m.withHlog(hlog), server, name, Trial.Figures.PLAIN);
        } catch (IOException | RuntimeException e) {
            return Trial.failed(entry.name(), round, e.getMessage());
        }
    }

    /** A point loaded from here, its interval log written to {@code hlog} (under the run's folder). */
    private Measurement logged(ServerProcess server, LoadConfig config, String hlog) throws IOException, InterruptedException {
        IntervalLog log = new IntervalLog(null, config.openLoop());
        Measurement m = Measurement.of(server, config, log);
        RunOutput.write(dir.resolve(hlog), true, null, into -> Files.writeString(into, log.text()));
        return m;
    }

    /** A point loaded from the other hosts; a host that failed fails the point, naming it. */
    private Measurement fromHosts(ServerProcess server, LoadConfig config, Path hlog) throws IOException, InterruptedException {
        RemoteLoad.Outcome o;
        server.sampleEvery(Duration.ofMillis(100));      // the window is known once the hosts report it
        try {
            o = RemoteLoad.run(Measurement.addressedTo(server, config), hosts);
        } catch (RemoteLoad.Unusable e) {
            throw new IOException(e.getMessage().replace('\n', ';'));
        }
        if (o.result() == null || o.report().partial()) {
            throw new IOException(String.join("; ", o.report().warnings()));
        }
        RunOutput.write(hlog, true, null, into -> Files.writeString(into, o.hlog()));
        return Measurement.of(server, o.result());
    }

    /** Turns a measurement into a trial: histograms written, the status decided. */
    private Trial trial(String server, int round, Measurement m, ServerProcess process, String name, Trial.Figures figures)
            throws IOException {
        LoadReport r = m.load().report();
        String hgrm = "hgrm/" + name + ".hgrm";
        Files.writeString(dir.resolve(hgrm), LoadResult.hgrm(m.load().corrected()));
        Trial.Histograms histograms = new Trial.Histograms.Closed(hgrm);
        if (r.openLoop()) {
            String hgrmUncorrected = "hgrm/" + name + ".uncorrected.hgrm";
            Files.writeString(dir.resolve(hgrmUncorrected), LoadResult.hgrm(m.load().uncorrected()));
            histograms = new Trial.Histograms.Open(hgrm, hgrmUncorrected, spectrum(m.load().corrected()),
                    spectrum(m.load().uncorrected()));
        }
        boolean starvedOnly = r.errors().total() == 0 && r.starvedConnections() > 0;
        Status status = starvedOnly ? Status.STARVED : Status.OK;
        String error = null;
        if (r.messages() == 0 && !starvedOnly) {
            status = Status.FAILED;
            error = "no message was echoed" + (r.errors().first() != null ? ": " + r.errors().first() : "") + process.complaint();
        } else if (r.errors().total() > 0) {
            status = Status.FAILED;
            error = r.errors().total() + " errors: " + r.errors().first() + process.complaint();
        } else if (!m.serverAlive()) {
            status = Status.FAILED;
            error = "the server exited during the scenario" + process.lastWords();
        }
        return new Trial(server, round, status, error, r, m.serverStats(), histograms, figures);
    }

    /**
     * (c): N idle connections held on a fresh server, then one active connection measured. The server runs
     * without a JFR recording: the recording's own buffers would grow with the idle window and read as the
     * connections' memory.
     */
    Trial scale(Entry entry, int idleConnections, Duration warmup, Duration duration) throws InterruptedException {
        List<Socket> idle = new ArrayList<>();
        try (ServerProcess server = launcher.recordingVirtualThreads(false).start(entry, root, List.of())) {
            InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
            Thread.sleep(300);
            ProcReading before = server.sampleNow();
            String openError = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < idleConnections && System.nanoTime() < deadline; i++) {
                Socket s = new Socket();
                try {
                    s.connect(address, 2_000);
                    idle.add(s);
                } catch (IOException e) {
                    s.close();
                    openError = "idle connection " + (i + 1) + " of " + idleConnections + ": " + e.getMessage();
                    break;
                }
            }
            awaitAccepted(server, before.openFiles() + idle.size());
            Thread.sleep(500);
            ProcReading held = server.sampleNow();
            int accepted = Math.max(0, held.openFiles() - before.openFiles());
            Trial.ScaleStats stats = new Trial.ScaleStats(idleConnections, idle.size(), accepted, before.rssKiB(), held.rssKiB(),
                    idle.isEmpty() ? null : (held.rssKiB() - before.rssKiB()) / (double) idle.size(),
                    before.threads(), held.threads(),
                    idle.isEmpty() ? null : (held.threads() - before.threads()) / (double) idle.size(), openError);
            String name = entry.name() + "-scale-c" + (idleConnections + 1) + "-s64";
            String hlog = "hgrm/" + name + ".hlog";
            Measurement active = logged(server, load(1, Scenario.REFERENCE_SIZE, warmup, duration).withRampUp(Duration.ofSeconds(1)), hlog)
                    .withHlog(hlog);
            Trial t = trial(entry.name(), 1, active, server, name, new Trial.Figures.Idle(stats));
            if (openError != null && t.status() == Status.FAILED
                    && t.load().errors().total() == t.load().errors().connectFailures()) {
                // The server stopped accepting (sync-echo: its backlog is full of idle clients it will
                // never serve), so the active connection could not even connect. That is the model, not a fault.
                t = new Trial(t.server(), 1, Status.STARVED, "backlog full: " + openError + "; the active connection could not connect",
                        t.load(), t.serverStats(), t.histograms(), t.figures());
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return Trial.failed(entry.name(), 1, e.getMessage());
        } finally {
            for (Socket s : idle) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing the held connections at the end of the scenario
                }
            }
        }
    }

    /** Waits until the server holds {@code expected} descriptors, or its count has not moved for 1 s (sync never accepts them). */
    private static void awaitAccepted(ServerProcess server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen = -1;
        long lastChange = System.nanoTime();
        int files;
        while ((files = server.sampleNow().openFiles()) < expected && System.nanoTime() < deadline
                && System.nanoTime() - lastChange < 1_000_000_000L) {
            if (files != seen) {
                seen = files;
                lastChange = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    /** (d): the generator and a minimal native client, each against the native server, same load. */
    Trial capacity(Entry nativeEntry, NativePeers natives, Duration warmup, Duration duration) throws InterruptedException {
        try (ServerProcess server = launcher.start(nativeEntry, root, List.of())) {
            Measurement java = Measurement.of(server, load(Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE, warmup, duration));
            return trial(nativeEntry.name(), 1, java, server, "native-capacity-c100-s64",
                    againstNativeClient(java.load().report(), nativeClientRate(natives, server, warmup, duration)));
        } catch (IOException | RuntimeException e) {
            return Trial.failed(nativeEntry.name(), 1, e.getMessage());
        }
    }

    /** Percentile spectrum for the chart and the JSON: (percentile, microseconds) pairs. */
    static List<double[]> spectrum(Histogram histogram) {
        List<double[]> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            if (v.getPercentileLevelIteratedTo() >= 100.0) {
                break;
            }
            points.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1e3});
        }
        points.add(new double[] {100.0, histogram.getMaxValue() / 1e3});
        return points;
    }
}
