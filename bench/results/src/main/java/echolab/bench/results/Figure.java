package echolab.bench.results;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.Scenario.Kind;

/**
 * The one place a figure of a server is defined, as ServerCatalogue is for servers: its label, its unit,
 * which way is better, and how it is read from a bench run's trials. summary.md's main table, compare and
 * the course's ranking are views over this list; a new figure is one line here.
 *
 * <p>A figure of the closed loop is read at the reference point (100 connections x 64 B), which a run
 * measures in interleaved rounds: {@link #of} takes the median round's trial (the one the main table
 * shows), {@link #rounds} every round. A figure of the open loop or of the idle connections is read from
 * that scenario's one trial. A figure of the connection ladder is read from the highest step the server
 * held, one of the rate under a latency target from the trial that confirmed the answer.
 */
public enum Figure {
    THROUGHPUT("msg/s", "throughput at 100 connections x 64 B", Unit.RATE, true, Kind.CLOSED,
            t -> t.load() == null ? null : t.throughput()),
    P50("p50", "p50 latency at 100 connections x 64 B (closed loop)", Unit.LATENCY, false, Kind.CLOSED, t -> t.latency(Percentile.P50)),
    P99("p99", "p99 latency at 100 connections x 64 B (closed loop)", Unit.LATENCY, false, Kind.CLOSED, t -> t.latency(Percentile.P99)),
    OPEN_P99("open-loop p99 (corrected)", "p99 latency at a fixed rate (open loop, from the planned send)", Unit.LATENCY, false,
            Kind.OPEN, t -> t.latency(Percentile.P99)),
    CPU_PER_MESSAGE("server CPU us/msg", "server CPU per message", Unit.CPU_PER_MESSAGE, false, Kind.CLOSED,
            t -> stats(t).map(Trial.ServerStats::cpuMicrosPerMessage).orElse(null)),
    NEVER_ANSWERED("never answered", "connections never answered, of 100", Unit.COUNT, false, Kind.CLOSED,
            t -> t.load() == null ? null : (double) t.load().starvedConnections()),
    READ_CALLS("read calls", "read system calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.CLOSED,
            t -> kernel(t).map(Trial.KernelCounts::readCalls).orElse(null)),
    WRITE_CALLS("write calls", "write system calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.CLOSED,
            t -> kernel(t).map(Trial.KernelCounts::writeCalls).orElse(null)),
    BYTES_READ("bytes read", "bytes read per message", Unit.BYTES_PER_MESSAGE, false, Kind.CLOSED,
            t -> kernel(t).map(Trial.KernelCounts::bytesRead).orElse(null)),
    BYTES_WRITTEN("bytes written", "bytes written per message", Unit.BYTES_PER_MESSAGE, false, Kind.CLOSED,
            t -> kernel(t).map(Trial.KernelCounts::bytesWritten).orElse(null)),
    VOLUNTARY_SWITCHES("voluntary switches", "voluntary context switches per message", Unit.SWITCHES_PER_MESSAGE, false,
            Kind.CLOSED, t -> kernel(t).map(Trial.KernelCounts::voluntarySwitches).orElse(null)),
    INVOLUNTARY_SWITCHES("involuntary switches", "involuntary context switches per message", Unit.SWITCHES_PER_MESSAGE, false,
            Kind.CLOSED, t -> kernel(t).map(Trial.KernelCounts::involuntarySwitches).orElse(null)),
    SWITCHES("context switches", "context switches per message", Unit.SWITCHES_PER_MESSAGE, false, Kind.CLOSED,
            t -> kernel(t).filter(k -> k.voluntarySwitches() != null && k.involuntarySwitches() != null)
                    .map(k -> k.voluntarySwitches() + k.involuntarySwitches()).orElse(null)),
    RSS_PER_IDLE_CONNECTION("RSS per idle conn", "RSS per idle connection", Unit.KIB, false, Kind.SCALE,
            t -> t.idle().map(Trial.ScaleStats::rssPerIdleConnectionKiB).orElse(null)),
    THREADS_WITH_IDLE("threads with idle", "threads while holding the idle connections", Unit.COUNT, false, Kind.SCALE,
            t -> t.idle().map(i -> (double) i.threadsWithIdle()).orElse(null)),
    THREADS_PER_IDLE_CONNECTION("threads per idle conn", "threads per idle connection", Unit.THREADS_PER_CONNECTION, false,
            Kind.SCALE, t -> t.idle().map(Trial.ScaleStats::threadsPerIdleConnection).orElse(null)),
    VT_PINNED("pinned", "times a virtual thread blocked pinned to its carrier (JFR jdk.VirtualThreadPinned)", Unit.COUNT, false,
            Kind.CLOSED, t -> vt(t).map(v -> (double) v.pinned()).orElse(null)),
    VT_SUBMIT_FAILED("submit failures", "times the scheduler could not take a virtual thread (JFR jdk.VirtualThreadSubmitFailed)",
            Unit.COUNT, false, Kind.CLOSED, t -> vt(t).map(v -> (double) v.submitFailed()).orElse(null)),
    VT_CARRIERS("carriers", "carrier threads of the virtual-thread scheduler, at most", Unit.COUNT, false, Kind.CLOSED,
            t -> vt(t).map(v -> (double) v.carriersPeak()).orElse(null)),
    VT_MOUNTED("mounted", "virtual threads running on a carrier, mean of readings every 100 ms", Unit.MEAN_THREADS, false,
            Kind.CLOSED, t -> vt(t).filter(v -> v.schedulerReadings() > 0).map(Trial.VirtualThreads::mountedMean).orElse(null)),
    VT_QUEUED("queued", "virtual threads ready and waiting for a carrier, mean of readings every 100 ms", Unit.MEAN_THREADS,
            false, Kind.CLOSED, t -> vt(t).filter(v -> v.schedulerReadings() > 0).map(Trial.VirtualThreads::queuedMean).orElse(null)),
    VT_QUEUED_OPEN("queued, open loop", "virtual threads waiting for a carrier at the open loop's fixed rate, mean", Unit.MEAN_THREADS,
            false, Kind.OPEN, t -> vt(t).filter(v -> v.schedulerReadings() > 0).map(Trial.VirtualThreads::queuedMean).orElse(null)),
    CALLS_ALL("all calls", "system calls per message, every kind (perf, the syscalls scenario)", Unit.CALLS_PER_MESSAGE, false,
            Kind.SYSCALLS, t -> calls(t).map(Trial.SystemCalls::all).orElse(null)),
    CALLS_READS("reads", "read, recvfrom, readv and recvmsg calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::reads).orElse(null)),
    CALLS_WRITES("writes", "write, sendto, writev and sendmsg calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::writes).orElse(null)),
    CALLS_EPOLL_WAITS("epoll waits", "epoll_wait calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::epollWaits).orElse(null)),
    CALLS_EPOLL_CTLS("epoll_ctl", "epoll_ctl calls per message (interest changed)", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::epollCtls).orElse(null)),
    CALLS_IO_URING_ENTERS("io_uring_enter", "io_uring_enter calls per message", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::ioUringEnters).orElse(null)),
    CALLS_FUTEXES("futex", "futex calls per message (threads waking threads)", Unit.CALLS_PER_MESSAGE, false, Kind.SYSCALLS,
            t -> calls(t).map(Trial.SystemCalls::futexes).orElse(null)),
    LADDER_HELD("highest step held", "the most connections held with all of them answering (./echolab scale)", Unit.COUNT, true,
            Kind.LADDER, t -> t.step().map(l -> (double) l.requested()).orElse(null)),
    LADDER_RSS_PER_CONNECTION("RSS per conn at top", "RSS per connection at the highest step held", Unit.KIB, false, Kind.LADDER,
            t -> t.step().map(Trial.LadderStats::rssPerConnectionKiB).orElse(null)),
    LADDER_HEAP_PER_CONNECTION("heap per conn at top", "live heap per connection at the highest step held", Unit.KIB, false,
            Kind.LADDER, t -> t.step().map(Trial.LadderStats::heapPerConnectionKiB).orElse(null)),
    RATE_AT_TARGET("rate under target", "the highest rate meeting the latency target (./echolab capacity)", Unit.RATE, true,
            Kind.TARGET, t -> t.point().map(Trial.SearchPoint::rate).orElse(null));

    /** The column header, short. */
    public final String label;
    /** The figure in words, for a sentence or a row of its own. */
    public final String description;
    public final Unit unit;
    public final boolean higherIsBetter;
    /** The scenario it is read from. */
    public final Kind kind;
    private final Function<Trial, Double> value;

    Figure(String label, String description, Unit unit, boolean higherIsBetter, Kind kind, Function<Trial, Double> value) {
        this.label = label;
        this.description = description;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.kind = kind;
        this.value = value;
    }

    /** The figure of one trial; null when the trial does not have it. */
    public Double of(Trial trial) {
        return trial == null ? null : value.apply(trial);
    }

    /** The figure of {@code server} in {@code run}: from the median round for the closed loop; null when not measured. */
    public Double of(BenchRun run, String server) {
        return trial(run, server).filter(Trial::measured).map(this::of).orElse(null);
    }

    /** The trial this figure is read from: the median round of the reference point, or the scenario's trial. */
    public Optional<Trial> trial(BenchRun run, String server) {
        return switch (kind) {
            case CLOSED -> run.medianReference(server);
            case LADDER -> run.ladderTop(server);
            case TARGET -> run.targetAnswer(server);
            default -> run.trial(kind, server);
        };
    }

    /** Every measured value of {@code server}: one per round of the reference point, or the one trial's. */
    public List<Double> rounds(BenchRun run, String server) {
        List<Trial> trials = kind == Kind.CLOSED ? run.referenceRounds(server) : trial(run, server).filter(Trial::measured).stream().toList();
        return trials.stream().map(this::of).filter(Objects::nonNull).toList();
    }

    /** This figure of {@code trial}, in its unit; empty without a trial or a value. */
    public String format(Optional<Trial> trial) {
        return format(trial.map(this::of).orElse(null));
    }

    /** {@code value} in this figure's unit. */
    public String format(Double value) {
        return unit.format(value);
    }

    /** The median of {@code values}: the middle one, or the mean of the two middle ones. */
    public static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static Optional<Trial.ServerStats> stats(Trial t) {
        return Optional.ofNullable(t.serverStats());
    }

    private static Optional<Trial.SystemCalls> calls(Trial t) {
        return stats(t).map(Trial.ServerStats::systemCalls);
    }

    private static Optional<Trial.VirtualThreads> vt(Trial t) {
        return stats(t).map(Trial.ServerStats::virtualThreads);
    }

    private static Optional<Trial.KernelCounts> kernel(Trial t) {
        return stats(t).map(Trial.ServerStats::perMessage);
    }
}
