package echolab.bench.results;

import java.util.List;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.load.LoadReport;

/**
 * One server measured once in one scenario: the generator's report, the server's figures from /proc, the
 * latency histograms it wrote, and the figures only its scenario has ({@link Figures}).
 *
 * <p>results.json keeps a trial flat, every scenario's field beside the others and null where it does not
 * apply ({@link File}, schema version 2); reading turns that into these types once, so no reader meets a
 * combination that cannot happen.
 */
public record Trial(String server, int round, Status status, String error, LoadReport load, ServerStats serverStats,
                    Histograms histograms, Figures figures) {

    public Trial {
        Objects.requireNonNull(histograms, "histograms");
        Objects.requireNonNull(figures, "figures");
    }

    /** The latency histograms a trial wrote, as files relative to the run's folder. */
    public sealed interface Histograms {
        /** The files, relative to the run's folder. */
        default List<String> files() {
            return switch (this) {
                case None n -> List.of();
                case Closed c -> List.of(c.hgrm());
                case Open o -> List.of(o.hgrm(), o.hgrmUncorrected());
            };
        }

        /** None written: the trial failed before it measured, or its load was not one the generator logged (a ladder step). */
        record None() implements Histograms {
        }

        /** A closed loop's corrected histogram (which for a closed loop is the only one). */
        record Closed(String hgrm) implements Histograms {
            public Closed {
                Objects.requireNonNull(hgrm, "hgrm");
            }
        }

        /**
         * An open loop's: corrected (from each message's planned send) and uncorrected (from its actual send),
         * with their (percentile, microseconds) spectra for the charts.
         */
        record Open(String hgrm, String hgrmUncorrected, List<double[]> spectrum, List<double[]> spectrumUncorrected)
                implements Histograms {
            public Open {
                Objects.requireNonNull(hgrm, "hgrm");
                Objects.requireNonNull(hgrmUncorrected, "hgrmUncorrected");
                Objects.requireNonNull(spectrum, "spectrum");
                Objects.requireNonNull(spectrumUncorrected, "spectrumUncorrected");
            }
        }

        Histograms NONE = new None();
    }

    /** What only the trial's scenario measured, beyond the load and the server's /proc figures. */
    public sealed interface Figures {
        /** Nothing more: a point of the sweep, the open loop, the counted or the held round. */
        record Plain() implements Figures {
        }

        /** The idle-connection scenario: the connections held idle beside the measured one. */
        record Idle(ScaleStats stats) implements Figures {
        }

        /** The generator's rate set beside the native client's against the same server. */
        record AgainstNativeClient(CapacityStats stats) implements Figures {
        }

        /** A step of the connection ladder. */
        record Step(LadderStats stats) implements Figures {
        }

        /** A point of the search for the rate under a latency target. */
        record Point(SearchPoint point) implements Figures {
        }

        Figures PLAIN = new Plain();
    }

    public enum Status {
        @JsonProperty("ok") OK,
        /** The only problem: connections the server never answered (sync-echo's model). */
        @JsonProperty("starved") STARVED,
        @JsonProperty("failed") FAILED;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * From /proc of the server process over the measured window.
     *
     * @param acceptedConnections connections the server held open during the window beyond those it had before
     *                            (open descriptors); null where it could not be read
     * @param perMessage what the kernel counted for the server per message echoed in the window; null where
     *                   nothing was echoed (and in runs measured before it was recorded)
     * @param cpuClock the clock {@code cpuSeconds} was read with (a file that predates it is upgraded: {@link ResultsUpgrade})
     * @param virtualThreads what a virtual-thread server's virtual threads did, from its JFR recording; null for
     *                       the other servers, where it could not be read, and in runs measured before it was
     * @param systemCalls the system calls the kernel counted per message, in a trial that counted them (the
     *                    {@code syscalls} scenario); null elsewhere
     */
    public record ServerStats(long peakRssKiB, int peakThreads, double cpuSeconds, Double cpuMicrosPerMessage,
                              Integer acceptedConnections, KernelCounts perMessage, CpuClock cpuClock,
                              VirtualThreads virtualThreads, SystemCalls systemCalls) {
        public ServerStats {
            Objects.requireNonNull(cpuClock, "cpuClock");
        }
    }

    /**
     * The server's system calls per message, every thread's, counted by the kernel's syscall tracepoints
     * ({@code perf stat}) over the intervals of {@code seconds} inside the measured window: all of them, and
     * those of each kind (read, recvfrom, readv, recvmsg; their write counterparts; epoll_wait and its
     * p-variants; epoll_ctl; io_uring_enter; futex). What is left of {@code all} is other calls.
     */
    public record SystemCalls(double all, double reads, double writes, double epollWaits, double epollCtls,
                              double ioUringEnters, double futexes, double seconds) {
    }

    /**
     * A virtual-thread server's virtual threads over the measured window, from JDK Flight Recorder: the JDK's
     * own events, and the scheduler's MXBean read every 100 ms (JDK 24 and later; {@code schedulerReadings} 0
     * where the JDK has none).
     *
     * @param pinned times a virtual thread blocked while pinned to its carrier ({@code jdk.VirtualThreadPinned},
     *               every one), with their total and longest duration
     * @param submitFailed times the scheduler could not take a virtual thread to run ({@code jdk.VirtualThreadSubmitFailed})
     * @param parallelism carriers the scheduler aims for; {@code carriersPeak} the most carrier threads it had
     * @param mountedMean virtual threads running on a carrier, on average over the readings, and the most
     * @param queuedMean virtual threads ready and waiting for a carrier, on average over the readings, and the most
     */
    public record VirtualThreads(long pinned, double pinnedTotalMicros, double pinnedMaxMicros, long submitFailed,
                                 int schedulerReadings, int parallelism, int carriersPeak, double mountedMean,
                                 int mountedPeak, double queuedMean, long queuedPeak) {
    }

    /**
     * Per message: read and write system calls and the bytes through them (/proc/PID/io, all threads), and
     * context switches summed over the server's threads (/proc/PID/task). Each null when it could not be
     * read (switches are not read from a server with more than 256 threads).
     */
    public record KernelCounts(Double readCalls, Double writeCalls, Double bytesRead, Double bytesWritten,
                               Double voluntarySwitches, Double involuntarySwitches) {
    }

    public record ScaleStats(int idleRequested, int idleOpened, int idleAcceptedByServer, long rssBaselineKiB,
                             long rssWithIdleKiB, Double rssPerIdleConnectionKiB, int threadsBaseline, int threadsWithIdle,
                             Double threadsPerIdleConnection, String openError) {
    }

    public record CapacityStats(double generatorMessagesPerSecond, double generatorBusiestThreadLoad,
                                double nativeClientMessagesPerSecond, double generatorToNativeClient) {
    }

    /**
     * One server at one step of the connection ladder ({@code ./echolab scale}), all connections held: how many
     * were asked for, opened by the clients, accepted by the server (its descriptors) and answering (echoed at
     * least once with all active); how long opening took; the server's footprint (RSS, live heap after a full
     * collection, null for a native server; threads; memory mappings; descriptors) and, per connection, its
     * growth since the server started; the kernel's memory for sockets (the slab caches of sockets, their inodes,
     * files and epoll entries, machine-wide, so both ends of each connection) and in TCP buffers; the server's CPU while
     * all were idle; and the figures with every connection active. The trial's {@code load} is one more
     * connection, measured alone in a closed loop while the others are held idle.
     */
    public record LadderStats(int requested, int opened, int accepted, Integer answering, double openSeconds,
                              long rssKiB, Long heapKiB, int threads, int maps, int descriptors, long kernelSlabKiB,
                              long socketBuffersKiB, Double rssPerConnectionKiB, Double heapPerConnectionKiB,
                              Double threadsPerConnection, Double kernelSlabPerConnectionKiB, Double idleCpuPercent,
                              Active active, String clientError) {
    }

    /**
     * Every held connection active: each sent a 64-byte message every {@code periodSeconds}, their starts spread
     * over the period; latency counted from the planned send, so a slow server cannot hide it, after a first
     * period of warm-up. {@code silent}:
     * connections that sent and were never answered; {@code clientsBusiest}: the busiest client holder's thread
     * (over 0.9, these figures are the clients' limit, not the server's).
     */
    public record Active(double periodSeconds, double messagesPerSecond, long sent, long answered, long unanswered,
                         int silent, long corruptBytes, int closedByServer, double clientsBusiest, LatencySummary latencyMicros) {
    }

    /**
     * One trial of the search for the highest rate under a latency target ({@code ./echolab capacity}): the
     * phase it belongs to, the rate asked and delivered, the latency at the target's percentile (corrected),
     * whether it met the target, and why not when it did not.
     */
    public record SearchPoint(Phase phase, double rate, double achievedRate, Double latencyMicros, boolean meets,
                              boolean generatorLimited, String why) {

        public enum Phase {
            @JsonProperty("grow") GROW,
            @JsonProperty("bisect") BISECT,
            /** A miss measured again: on a shared machine one trial's stall is not the server's limit. */
            @JsonProperty("recheck") RECHECK,
            @JsonProperty("confirm") CONFIRM;

            public String label() {
                return name().toLowerCase();
            }
        }
    }

    public boolean measured() {
        return status != Status.FAILED && load != null;
    }

    public double throughput() {
        return load == null ? 0 : load.messagesPerSecond();
    }

    /** Corrected latency at a percentile, or null when nothing was measured. */
    public Double latency(Percentile percentile) {
        return load == null || load.latencyMicros() == null ? null : load.latencyMicros().at(percentile);
    }

    public Double uncorrectedLatency(Percentile percentile) {
        LatencySummary l = load == null ? null : load.uncorrectedLatencyMicros();
        return l == null ? null : l.at(percentile);
    }

    public boolean generatorBound() {
        return load != null && load.generator().generatorBound();
    }

    /** This trial with {@code error} (its status unchanged). */
    public Trial withError(String error) {
        return new Trial(server, round, status, error, load, serverStats, histograms, figures);
    }

    /** This trial with the figures of its scenario. */
    public Trial with(Figures figures) {
        return new Trial(server, round, status, error, load, serverStats, histograms, figures);
    }

    /** This trial's figures when they are of {@code kind}. */
    public <F extends Figures> Optional<F> figures(Class<F> kind) {
        return kind.isInstance(figures) ? Optional.of(kind.cast(figures)) : Optional.empty();
    }

    /** The idle-connection figures, when this trial held idle connections. */
    public Optional<ScaleStats> idle() {
        return figures(Figures.Idle.class).map(Figures.Idle::stats);
    }

    /** The ladder step's figures, when this trial is a step of the connection ladder. */
    public Optional<LadderStats> step() {
        return figures(Figures.Step.class).map(Figures.Step::stats);
    }

    /** The search point's figures, when this trial is a point of the search for a rate. */
    public Optional<SearchPoint> point() {
        return figures(Figures.Point.class).map(Figures.Point::point);
    }

    /** The generator against the native client, when this trial set them side by side. */
    public Optional<CapacityStats> againstNativeClient() {
        return figures(Figures.AgainstNativeClient.class).map(Figures.AgainstNativeClient::stats);
    }

    /** The corrected spectrum, for an open loop's trial. */
    public Optional<List<double[]>> spectrum() {
        return histograms instanceof Histograms.Open o ? Optional.of(o.spectrum()) : Optional.empty();
    }

    public static Trial failed(String server, int round, String error) {
        return new Trial(server, round, Status.FAILED, error, null, null, Histograms.NONE, Figures.PLAIN);
    }

    /**
     * A trial as results.json holds it (schema version 2): every scenario's fields side by side, null where they do
     * not apply.
     */
    @JsonPropertyOrder({"server", "round", "status", "error", "load", "serverStats", "scale", "capacity", "hgrm",
            "hgrmUncorrected", "spectrum", "spectrumUncorrected", "ladder", "search"})
    record File(String server, int round, Status status, String error, LoadReport load, ServerStats serverStats,
                ScaleStats scale, CapacityStats capacity, String hgrm, String hgrmUncorrected, List<double[]> spectrum,
                List<double[]> spectrumUncorrected, LadderStats ladder, SearchPoint search) {
    }

    @JsonValue
    File file() {
        Histograms.Open open = histograms instanceof Histograms.Open o ? o : null;
        String hgrm = switch (histograms) {
            case Histograms.None n -> null;
            case Histograms.Closed c -> c.hgrm();
            case Histograms.Open o -> o.hgrm();
        };
        return new File(server, round, status, error, load, serverStats, idle().orElse(null), againstNativeClient().orElse(null),
                hgrm, open == null ? null : open.hgrmUncorrected(), open == null ? null : open.spectrum(),
                open == null ? null : open.spectrumUncorrected(), step().orElse(null), point().orElse(null));
    }

    /**
     * A trial read from results.json. A trial holds at most one scenario's figures, and an open loop's histograms all
     * four or none; a file that says otherwise was not written by echo-lab and is refused.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Trial of(File f) {
        List<Figures> held = new java.util.ArrayList<>();
        if (f.scale() != null) {
            held.add(new Figures.Idle(f.scale()));
        }
        if (f.capacity() != null) {
            held.add(new Figures.AgainstNativeClient(f.capacity()));
        }
        if (f.ladder() != null) {
            held.add(new Figures.Step(f.ladder()));
        }
        if (f.search() != null) {
            held.add(new Figures.Point(f.search()));
        }
        if (held.size() > 1) {
            throw new IllegalArgumentException("a trial of " + f.server() + " holds the figures of more than one scenario: "
                    + held.stream().map(h -> h.getClass().getSimpleName()).toList());
        }
        boolean open = f.hgrmUncorrected() != null || f.spectrum() != null || f.spectrumUncorrected() != null;
        Histograms histograms = !open ? (f.hgrm() == null ? Histograms.NONE : new Histograms.Closed(f.hgrm()))
                : new Histograms.Open(f.hgrm(), f.hgrmUncorrected(), f.spectrum(), f.spectrumUncorrected());
        return new Trial(f.server(), f.round(), f.status(), f.error(), f.load(), f.serverStats(), histograms,
                held.isEmpty() ? Figures.PLAIN : held.get(0));
    }
}
