package echolab.bench.scale;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Measurement;
import echolab.bench.harness.ProcReading;
import echolab.bench.harness.ProcWindow;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.Agent;
import echolab.bench.load.LatencySummary;
import echolab.bench.load.LoadConfig;
import echolab.bench.results.Ladder;
import echolab.bench.results.Ladder.Limit;
import echolab.bench.results.Ladder.Stop;
import echolab.bench.results.Scenario;
import echolab.bench.results.Trial;

/**
 * One server up the connection ladder, in a fresh process under the descriptor limit the ladder chose:
 * at each step the clients open the connections that are missing, and once the server has accepted
 * them its footprint is read, its CPU while all are idle, one more connection's round trip measured
 * alone, then every connection made active at a modest rate. The first step it does not hold (or does
 * not start: memory, time) ends its climb, with the reason in words ({@link Stops}).
 */
final class Climb {

    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(1);
    /** Memory a connection is assumed to cost before the first step has measured it (a platform thread's stack, touched). */
    private static final long FIRST_GUESS_KIB = 64;

    /** Where a server stopped, with each step's trial. */
    record Outcome(List<Trial> steps, List<Integer> counts, int highestHeld, int mostHeld, Stop stop, Footprint baseline) {
    }

    /** What the server holds at one moment, from /proc and (a JVM) jcmd. */
    record Footprint(long rssKiB, Long heapKiB, int threads, int maps, int descriptors, long slabKiB, long socketBuffersKiB) {
    }

    private final Launcher launcher;
    private final Path root;
    private final Ladder.Settings settings;
    private final Ladder.Limits limits;
    private final IntFunction<Holders.Place> clients;

    /** {@code clients}: where the clients of a climb run, by its address group. */
    Climb(Launcher launcher, Path root, Ladder.Settings settings, Ladder.Limits limits, IntFunction<Holders.Place> clients) {
        this.launcher = launcher;
        this.root = root;
        this.settings = settings;
        this.limits = limits;
        this.clients = clients;
    }

    /** Climbs {@code steps} with {@code server}; {@code group} picks the clients' source addresses; progress lines go to {@code say}. */
    Outcome climb(Entry server, int group, List<Integer> steps, Consumer<String> say) throws InterruptedException {
        List<Trial> trials = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        long started = System.nanoTime();
        int highest = 0;
        int most = 0;
        Footprint baseline = null;
        List<String> wrapper = settings.serverNofile() > 0
                ? List.of("prlimit", "--nofile=" + settings.serverNofile() + ":" + settings.serverNofile(), "--") : List.of();
        try (ServerProcess process = launcher.start(server, root, List.of(), wrapper);
             Holders clients = new Holders(this.clients.apply(group), process.host(), process.port(), process.terminator())) {
            Thread.sleep(SETTLE.toMillis());
            baseline = footprint(process, server instanceof ServerCatalogue.JvmServer);
            double perConnectionKiB = FIRST_GUESS_KIB;
            for (int step : steps) {
                Stop before = beforeStep(step, most, perConnectionKiB, started);
                if (before != null) {
                    return new Outcome(trials, counts, highest, most, before, baseline);
                }
                say.accept(String.format("%s: opening %,d connections", server.name(), step));
                Trial trial = step(process, server, clients, step, baseline);
                trials.add(trial);
                counts.add(step);
                Trial.LadderStats l = trial.step().orElseThrow();
                most = Math.max(most, l.accepted());
                if (l.rssPerConnectionKiB() != null && l.kernelSlabPerConnectionKiB() != null) {
                    perConnectionKiB = Math.max(8, l.rssPerConnectionKiB() + l.kernelSlabPerConnectionKiB());
                }
                say.accept(Stops.describe(server.name(), step, trial));
                Stop stop = Stops.judge(server, step, trial, process, limits, settings);
                if (stop != null) {
                    return new Outcome(trials, counts, highest, most, stop, baseline);
                }
                highest = step;
            }
            return new Outcome(trials, counts, highest, most, new Stop(Limit.NONE, 0, "held every step asked for", null), baseline);
        } catch (IOException | RuntimeException e) {
            return new Outcome(trials, counts, highest, most, new Stop(Limit.LADDER_FAILED, steps.get(Math.min(trials.size(), steps.size() - 1)),
                    "the ladder could not go on: " + e.getMessage(), null), baseline);
        }
    }

    /** A step that must not start: the machine would run short of memory, or the server's time is up. */
    private Stop beforeStep(int step, int held, double perConnectionKiB, long started) {
        long available = MachineLimits.memAvailableKiB();
        long need = (long) ((step - held) * (perConnectionKiB + 8));          // + the clients' side of each connection
        long reserve = settings.memoryReserveMiB() * 1024;
        if (available >= 0 && available - need < reserve) {
            return new Stop(Limit.MEMORY, step, String.format("not started: it would need about %,d MiB and leave less than the "
                    + "reserve of %,d MiB (MemAvailable %,d MiB)", need / 1024, reserve / 1024, available / 1024),
                    "more memory, or a smaller --memory-reserve");
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (elapsed > settings.serverSeconds()) {
            return new Stop(Limit.TIME, step, String.format("not started: the server had used %.0f s of its %.0f s", elapsed,
                    settings.serverSeconds()), "a larger --server-seconds");
        }
        return null;
    }

    private Trial step(ServerProcess process, Entry server, Holders clients, int step, Footprint baseline)
            throws IOException, InterruptedException {
        Agent.Opened opened = clients.open(step - clients.held());
        long acceptStart = System.nanoTime();
        // A JVM opens a file or two of its own now and then: descriptors beyond the clients' connections are not connections.
        int accepted = Math.min(awaitAccepted(process, opened.held()), opened.held());
        double openSeconds = opened.seconds() + (System.nanoTime() - acceptStart) / 1e9;
        Thread.sleep(SETTLE.toMillis());
        Footprint now = footprint(process, false);
        ProcReading idleFrom = process.sampleNow();
        Thread.sleep(IDLE_WINDOW.toMillis());
        Double idleCpu = idleCpuPercent(idleFrom, process.sampleNow());
        Long heap = server instanceof ServerCatalogue.JvmServer && process.alive() ? liveHeapKiB(process.pid()) : null;
        Measurement probe = Measurement.of(process, LoadConfig.defaults().withConnections(1).withSize(Scenario.REFERENCE_SIZE)
                .withWarmup(Duration.ofMillis(300)).withDuration(Duration.ofSeconds(1)).withRampUp(Duration.ofSeconds(1))
                .withConnectTimeout(Duration.ofSeconds(3)));
        Duration period = Duration.ofMillis((long) (settings.activePeriodSeconds() * 1000));
        Agent.Active a = clients.active(period, Duration.ofMillis((long) (settings.activeSeconds() * 1000)));
        Trial.Active active = new Trial.Active(settings.activePeriodSeconds(), opened.held() / settings.activePeriodSeconds(), a.sent(),
                a.answered(), a.unanswered(), a.silentConnections(), a.corrupt(), a.closedByServer(), a.busy(),
                LatencySummary.of(a.latency()));
        int answering = a.answeringConnections();
        Trial.LadderStats stats = new Trial.LadderStats(step, opened.held(), accepted, answering, openSeconds,
                now.rssKiB(), heap, now.threads(), now.maps(), now.descriptors(), now.slabKiB(), now.socketBuffersKiB(),
                per(now.rssKiB() - baseline.rssKiB(), accepted), heap == null || baseline.heapKiB() == null ? null
                        : per(heap - baseline.heapKiB(), accepted),
                per(now.threads() - baseline.threads(), accepted), per(now.slabKiB() - baseline.slabKiB(), accepted),
                idleCpu, active, opened.firstError());
        Trial.Status status = Stops.held(stats, step) && probe.serverAlive() ? Trial.Status.OK : Trial.Status.FAILED;
        return new Trial(server.name(), 1, status, null, probe.load().report(), probe.serverStats(), Trial.Histograms.NONE,
                new Trial.Figures.Step(stats));
    }

    private static Double per(double growth, int connections) {
        return connections > 0 ? growth / connections : null;
    }

    /** The server's CPU between two readings, in percent of a core: from its cgroup's nanoseconds where it has one, else ticks. */
    private static Double idleCpuPercent(ProcReading from, ProcReading to) {
        if (from == null || to == null || to.nanos() <= from.nanos()) {
            return null;
        }
        double cpuSeconds = from.cpuNanos() >= 0 && to.cpuNanos() >= 0 ? (to.cpuNanos() - from.cpuNanos()) / 1e9
                : (to.cpuTicks() - from.cpuTicks()) / (double) ProcWindow.CLOCK_TICKS_PER_SECOND;
        return cpuSeconds / ((to.nanos() - from.nanos()) / 1e9) * 100;
    }

    /** Waits until the server holds {@code expected} connections, or their count has stopped moving for 1.5 s. */
    private static int awaitAccepted(ServerProcess server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10) + TimeUnit.MILLISECONDS.toNanos(expected / 2);
        int seen = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lastChange < 1_500_000_000L) {
            ProcReading r = server.sampleNow();
            int held = r == null ? -1 : server.heldConnections(r.openFiles());
            if (held >= expected || r == null) {
                return Math.max(held, 0);
            }
            if (held != seen) {
                seen = held;
                lastChange = System.nanoTime();
            }
            Thread.sleep(50);
        }
        return Math.max(seen, 0);
    }

    private Footprint footprint(ServerProcess process, boolean heap) throws InterruptedException {
        ProcReading r = process.sampleNow();
        if (r == null) {
            return new Footprint(0, null, 0, 0, 0, MachineLimits.slabKiB(), MachineLimits.socketBuffersKiB());
        }
        return new Footprint(r.rssKiB(), heap ? liveHeapKiB(process.pid()) : null, r.threads(), MachineLimits.maps(process.pid()),
                r.openFiles(), MachineLimits.slabKiB(), MachineLimits.socketBuffersKiB());
    }

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /** The server's live heap: a full collection (jcmd GC.run), then what is used (GC.heap_info); null when jcmd cannot tell. */
    private Long liveHeapKiB(long pid) throws InterruptedException {
        String jcmd = Path.of(launcher.java()).resolveSibling("jcmd").toString();
        try {
            ChildProcess.run(List.of(jcmd, String.valueOf(pid), "GC.run"), null, Duration.ofSeconds(30));
            ChildProcess.Result info = ChildProcess.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), null, Duration.ofSeconds(30));
            Matcher m = HEAP_USED.matcher(info.output());
            return info.ok() && m.find() ? Long.parseLong(m.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
