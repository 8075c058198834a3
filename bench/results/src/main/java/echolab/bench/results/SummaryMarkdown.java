package echolab.bench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.load.LoadReport;
import echolab.bench.results.BenchRun.ServerEntry;
import echolab.bench.results.Scenario.Kind;
import echolab.bench.results.Trial.Status;

import static echolab.bench.results.Format.micros;
import static echolab.bench.results.Format.number;
import static echolab.bench.results.Table.figure;
import static echolab.bench.results.Table.text;

/** summary.md, and the main table printed at the end of a run: rendered from a {@link BenchRun} alone. */
public final class SummaryMarkdown {

    private SummaryMarkdown() {
    }

    /** The side-by-side table at the reference point, with the open-loop and scale figures (a scale or capacity run: its own). */
    public static String mainTable(BenchRun r) {
        switch (r.kind()) {
            case BenchRun.Scale s -> {
                return LadderReport.mainTable(r, s.ladder());
            }
            case BenchRun.Capacity c -> {
                return TargetReport.mainTable(r, c.target());
            }
            case BenchRun.SideBySide b -> {
            }
        }
        StringBuilder s = new StringBuilder();
        Double netty = r.referenceThroughput("netty");
        String ceiling = ceiling(r);
        Double ceilingTput = ceiling == null ? null : r.referenceThroughput(ceiling);
        Double ceilingCpu = ceiling == null ? null : Figure.CPU_PER_MESSAGE.of(r, ceiling);
        s.append(String.format("Main table: closed loop at %d connections x %d B%s (median of %d interleaved rounds); "
                        + "open loop at %s msg/s; %d idle connections%s%n%n", Scenario.REFERENCE_CONNECTIONS,
                Scenario.REFERENCE_SIZE, held(r), r.settings().rounds(), rateText(r), r.settings().idleConnections(),
                ceiling == null ? "" : "; the ceiling: " + ceiling));
        Table table = new Table(text("server"), text("kind"), figure(Figure.THROUGHPUT.label), figure("range over rounds"),
                figure("vs Netty"), figure("vs ceiling"), figure(Figure.P50.label), figure(Figure.P99.label), figure(Figure.OPEN_P99.label),
                figure(Figure.CPU_PER_MESSAGE.label), figure("CPU vs ceiling"), figure(Figure.RSS_PER_IDLE_CONNECTION.label),
                figure(Figure.THREADS_WITH_IDLE.label), text("note"));
        for (ServerEntry server : r.servers()) {
            Optional<Trial> ref = r.medianReference(server.name());
            Optional<Trial> open = r.trial(Kind.OPEN, server.name());
            Optional<Trial> scale = r.trial(Kind.SCALE, server.name());
            if (ref.isEmpty() && open.isEmpty() && scale.isEmpty()) {
                table.row(server.name(), server.kind(), null, null, null, null, null, null, null, null, null, null, null,
                        server.skipped() == null ? "not measured" : "skipped: " + server.skipped());
                continue;
            }
            double tput = ref.map(Trial::throughput).orElse(0.0);
            table.row(server.name(), server.kind(), Figure.THROUGHPUT.format(ref), spread(r, server.name()),
                    Format.ratio(tput, netty), Format.ratio(tput, ceilingTput), Figure.P50.format(ref), Figure.P99.format(ref),
                    Figure.OPEN_P99.format(open), Figure.CPU_PER_MESSAGE.format(ref),
                    Format.ratio(ref.map(Figure.CPU_PER_MESSAGE::of).orElse(0.0), ceilingCpu), Figure.RSS_PER_IDLE_CONNECTION.format(scale),
                    Figure.THREADS_WITH_IDLE.format(scale), note(ref, open, scale));
        }
        return s.append(table.markdown()).toString();
    }

    /**
     * The server the others are set against: the native io_uring echo (a loop turn's I/O in one system call)
     * where it ran, else the native epoll echo (runs from before the io_uring peer, or a kernel without it).
     */
    static String ceiling(BenchRun r) {
        return java.util.stream.Stream.of("native-uring", "native").filter(n -> r.referenceThroughput(n) != null)
                .findFirst().orElse(null);
    }

    /** The whole summary.md (of a bench run; a scale or capacity run has its own). */
    public static String render(BenchRun r) {
        switch (r.kind()) {
            case BenchRun.Scale s -> {
                return LadderReport.render(r, s.ladder());
            }
            case BenchRun.Capacity c -> {
                return TargetReport.render(r, c.target());
            }
            case BenchRun.SideBySide b -> {
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("# echo-lab bench: ").append(r.run().id()).append("\n\n");
        s.append(String.format("Profile `%s`; %s.%n%n", r.run().profile(), r.environment().oneLine()));
        if (!r.run().complete()) {
            s.append("**This run did not finish**: the tables hold what it measured before it stopped.\n\n");
        }
        s.append(mainTable(r)).append('\n');
        s.append("Latencies in microseconds unless marked ms. `vs` columns: throughput ratio to Netty and to the ceiling (the native io_uring echo, else the native epoll echo); `CPU vs ceiling`: server CPU per message as a ratio to the ceiling's. ");
        s.append("Server CPU and RSS come from /proc of the server process; RSS per idle connection is ");
        s.append("(RSS holding the idle connections - RSS before) / connections.");
        List<String> clocks = r.scenarios().stream().flatMap(sc -> sc.trials().stream()).map(Trial::serverStats)
                .filter(st -> st != null).map(st -> st.cpuClock().label).distinct().toList();
        if (!clocks.isEmpty()) {                           // a run that measured no server here has no clock to name
            s.append(" Server CPU time read with: ").append(String.join("; ", clocks)).append('.');
        }
        if (r.environment().python() != null && r.servers().stream().anyMatch(e -> e.kind().equals("python"))) {
            s.append(" The Python peers ran on ").append(r.environment().python().describe()).append('.');
        }
        List<String> elsewhere = r.servers().stream().filter(e -> !e.command().isEmpty() && e.command().get(0).equals("ssh"))
                .map(ServerEntry::name).toList();
        if (!elsewhere.isEmpty()) {
            s.append(" ").append(String.join(", ", elsewhere)).append(" ran on another host (results.json has the ssh command): ")
                    .append("their CPU, memory and kernel figures come from /proc of a process here and were not measured.");
        }
        s.append("\n\n");
        s.append("![throughput](throughput.png) ![p99](p99.png)\n\n![spectrum](spectrum.png) ![rss](rss-per-connection.png)\n\n");
        sweep(s, r);
        String bySize = sizesTable(r);
        if (!bySize.isEmpty()) {
            s.append(String.format("%n## Message sizes at %d connections (closed loop)%n%n", Scenario.REFERENCE_CONNECTIONS));
            s.append("The blocking servers read into 8 KiB and the selector into 64 KiB: a longer message goes back in "
                    + "pieces, each sent at once with TCP_NODELAY (without it, Nagle's algorithm holds a piece for the client's "
                    + "delayed ACK, about 40 ms). msg/s, and in brackets the p50 in microseconds.\n\n");
            s.append(bySize);
        }
        rounds(s, r);
        heldAgainstNativeClient(s, r);
        kernel(s, r);
        framing(s, r);
        systemCalls(s, r);
        virtualThreads(s, r);
        openLoop(s, r);
        scale(s, r);
        capacity(s, r);
        failures(s, r);
        s.append("\nReproduce: `").append(r.run().command()).append("`\n");
        return s.toString();
    }

    private static void sweep(StringBuilder s, BenchRun r) {
        s.append("## Closed-loop sweep\n\n");
        s.append("Before each measurement every connection sends one message and waits for its echo (the ramp-up, at most "
                + "5 s, or until no new connection is answered for 0.5 s). *Never answered*: connections not echoed once "
                + "in the whole run (waiting in the backlog, or accepted and never served); *not in window*: answered in "
                + "the ramp-up but not once in the measured window; *accepted*: connections the server held open during "
                + "the window, from its descriptors.\n\n");
        Table table = new Table(text("server"), figure("connections"), figure("size"), figure("msg/s"), figure("MiB/s"),
                figure("p50"), figure("p90"), figure("p99"), figure("p99.9"), figure("max"), figure("errors"), figure("ramp-up s"),
                figure("never answered"), figure("not in window"), figure("accepted"), figure("server CPU us/msg"),
                figure("peak RSS KiB"), figure("peak threads"), text("status"));
        for (Scenario scenario : r.scenarios()) {
            if (scenario.kind() != Kind.CLOSED) {
                continue;
            }
            for (Trial t : scenario.trials()) {
                if (t.round() != 1) {
                    continue;
                }
                LoadReport l = t.load();
                Trial.ServerStats st = t.serverStats();
                table.row(t.server(), scenario.connections(), scenario.size(),
                        l == null ? "" : String.format("%,.0f", l.messagesPerSecond()),
                        l == null ? "" : String.format("%.2f", l.mibPerSecond()),
                        micros(t.latency(Percentile.P50)), micros(t.latency(Percentile.P90)), micros(t.latency(Percentile.P99)),
                        micros(t.latency(Percentile.P999)), micros(t.latency(Percentile.MAX)),
                        l == null ? "" : l.errors().total(), l == null ? "" : String.format("%.2f", l.rampUpSeconds()),
                        l == null ? "" : l.starvedConnections(), l == null ? "" : l.starvedInWindow(),
                        st == null ? "" : number(st.acceptedConnections(), "%.0f"),
                        st == null ? "" : number(st.cpuMicrosPerMessage(), "%.1f"),
                        st == null ? "" : st.peakRssKiB(), st == null ? "" : st.peakThreads(), statusText(t));
            }
        }
        s.append(table.markdown());
    }

    /**
     * Each server's msg/s and p50 at every message size measured at the reference connection count, a column
     * per size; empty when the run measured one size there.
     */
    public static String sizesTable(BenchRun r) {
        List<Scenario> bySize = r.scenarios().stream()
                .filter(sc -> sc.kind() == Kind.CLOSED && sc.connections() == Scenario.REFERENCE_CONNECTIONS)
                .sorted(java.util.Comparator.comparingInt(Scenario::size)).toList();
        if (bySize.size() < 2) {
            return "";
        }
        List<Table.Column> columns = new ArrayList<>(List.of(text("server")));
        bySize.forEach(sc -> columns.add(figure(Format.bytes(sc.size()))));
        Table table = new Table(columns.toArray(Table.Column[]::new));
        for (ServerEntry server : r.servers()) {
            List<Object> cells = new ArrayList<>(List.of(server.name()));
            for (Scenario sc : bySize) {
                cells.add(sc.trials().stream().filter(t -> t.server().equals(server.name()) && t.round() == 1 && t.load() != null)
                        .findFirst().map(t -> String.format("%,.0f (%s)%s", t.throughput(), micros(t.latency(Percentile.P50)),
                                t.load().atDelayedAckTimer() ? " delayed ACK" : "")).orElse(""));
            }
            if (cells.stream().skip(1).anyMatch(c -> !c.toString().isEmpty())) {
                table.row(cells.toArray());
            }
        }
        return table.markdown();
    }

    /** How the main table's rounds ran: e.g. ", each server held to 50% of a CPU (...) by its cgroup's CPU quota"; empty on a whole CPU. */
    private static String held(BenchRun r) {
        return r.heldText().isEmpty() ? "" : r.heldText() + " by its cgroup's CPU quota";
    }

    private static void rounds(StringBuilder s, BenchRun r) {
        int rounds = r.settings().rounds();
        if (rounds < 2) {
            return;
        }
        s.append(String.format("%n## The reference point in %d rounds (100 x 64 B, closed loop%s, msg/s)%n%n", rounds, held(r)));
        s.append("Each round measures every server back to back in a rotating order; the main table takes the median.\n\n");
        List<Table.Column> columns = new ArrayList<>(List.of(text("server")));
        for (int i = 1; i <= rounds; i++) {
            columns.add(figure("round " + i));
        }
        Table table = new Table(columns.toArray(Table.Column[]::new));
        for (ServerEntry server : r.servers()) {
            List<Object> cells = new ArrayList<>(List.of(server.name()));
            List<Trial> trials = r.referenceRounds(server.name());
            for (int i = 1; i <= rounds; i++) {
                int round = i;
                cells.add(trials.stream().filter(t -> t.round() == round).findFirst()
                        .map(t -> String.format("%,.0f", t.throughput())).orElse(""));
            }
            table.row(cells.toArray());
        }
        s.append(table.markdown());
    }

    /** System calls and context switches per message at the reference point, where the run recorded them. */
    private static void kernel(StringBuilder s, BenchRun r) {
        List<Figure> counters = List.of(Figure.READ_CALLS, Figure.WRITE_CALLS, Figure.BYTES_READ, Figure.BYTES_WRITTEN,
                Figure.VOLUNTARY_SWITCHES, Figure.INVOLUNTARY_SWITCHES);
        List<Table.Column> columns = new ArrayList<>(List.of(text("server")));
        counters.forEach(f -> columns.add(figure(f.label)));
        Table table = new Table(columns.toArray(Table.Column[]::new));
        for (ServerEntry server : r.servers()) {
            Optional<Trial> ref = r.medianReference(server.name());
            if (ref.map(Trial::serverStats).map(Trial.ServerStats::perMessage).isPresent()) {
                List<Object> cells = new ArrayList<>(List.of(server.name()));
                counters.forEach(f -> cells.add(f.format(ref)));
                table.row(cells.toArray());
            }
        }
        if (table.isEmpty()) {
            return;                                         // runs from before the counters were recorded
        }
        s.append(String.format("%n## What the kernel counted per message (100 x 64 B, the median round)%n%n"));
        s.append("From /proc of the server process over the measured window: read and write system calls and the bytes "
                + "through them (/proc/PID/io, all threads), context switches summed over its threads (/proc/PID/task; not "
                + "read for a server with more than 256 threads).\n\n");
        s.append(table.markdown());
    }

    /**
     * Each line server beside its stream twin, at one message per write (the sweep's unheld reference point) and at
     * {@value Scenario#PIPELINED_MESSAGES} to a write (the pipelined scenario): what framing costs per message.
     */
    private static void framing(StringBuilder s, BenchRun r) {
        Table table = framingTable(r);
        if (table.isEmpty()) {
            return;
        }
        s.append(String.format("%n## What framing costs: each line server beside its stream twin (100 x 64 B)%n%n"));
        s.append(FRAMING_TEXT).append("\n\n");
        s.append(table.markdown());
    }

    /** What the framing table shows, in words. */
    public static final String FRAMING_TEXT = "A line server answers each message whole once its terminator (`\\n`) is in, with a "
                + "write of its own; its stream twin echoes bytes as they come. Each pair at the same load: one message to a write (the "
                + "main table's), then " + Scenario.PIPELINED_MESSAGES + " messages in flight per connection sent in one write, "
                + "so that a read holds several messages to find, in rounds interleaved and held as the main table's are (the "
                + "median round). CPU per message comes from /proc of the server over the measured window, and `CPU vs twin` "
                + "is the line server's over its twin's; reads and writes per message are "
                + "counted by the kernel (perf, as in the system calls table: a read is read, recvfrom, readv or recvmsg, a "
                + "write their counterparts) in a trial of their own at the same load, or, where perf cannot count, read from "
                + "/proc/PID/io, which counts no recv or send.";

    /**
     * Each line server of {@code r} beside its stream twin, at one message a write (the sweep's unheld reference
     * point) and at {@value Scenario#PIPELINED_MESSAGES} (the pipelined scenario); empty for a run without a line server.
     */
    public static Table framingTable(BenchRun r) {
        List<Table.Column> columns = new ArrayList<>(List.of(text("server"), text("echoes")));
        for (int perWrite : List.of(1, Scenario.PIPELINED_MESSAGES)) {
            String at = " (" + perWrite + "/write)";
            columns.addAll(List.of(figure("msg/s" + at), figure("CPU us/msg" + at), figure("CPU vs twin" + at),
                    figure("reads/msg" + at), figure("writes/msg" + at)));
        }
        Table table = new Table(columns.toArray(Table.Column[]::new));
        Optional<Scenario> pipelined = r.scenario(Kind.PIPELINED);
        if (pipelined.isEmpty()) {
            return table;                                   // no line server in the run
        }
        for (ServerEntry line : r.servers()) {
            if (line.streamTwin() == null) {
                continue;
            }
            for (String server : List.of(line.streamTwin(), line.name())) {
                table.row(framingRow(r, pipelined, server, line).toArray());
            }
        }
        return table;
    }

    /**
     * A server at one load: its msg/s and CPU per message (the median round), and the trial whose system calls the
     * kernel counted, else the median round's, whose /proc counts stand in.
     */
    private record Point(Double rate, Double cpu, Optional<Trial> calls) {

        /** At one message a write: the main table's figures and the syscalls scenario's counts. */
        static Point one(BenchRun r, String server) {
            Optional<Trial> counted = r.trial(Kind.SYSCALLS, server).filter(SummaryMarkdown::countedByKernel);
            return new Point(Figure.THROUGHPUT.of(r, server), Figure.CPU_PER_MESSAGE.of(r, server),
                    counted.or(() -> r.medianReference(server)));
        }

        /** At several a write: the median of the pipelined scenario's rounds, and its counted round. */
        static Point many(Optional<Scenario> pipelined, String server) {
            List<Trial> trials = BenchRun.trialsOf(pipelined, server).stream().filter(Trial::measured).toList();
            Optional<Trial> median = BenchRun.median(trials.stream().filter(t -> !countedByKernel(t)).toList());
            Optional<Trial> counted = trials.stream().filter(SummaryMarkdown::countedByKernel).findFirst();
            return new Point(median.map(Trial::throughput).orElse(null), median.map(Figure.CPU_PER_MESSAGE::of).orElse(null),
                    counted.or(() -> median));
        }

        /** {@code perf} figure where the kernel counted, else {@code proc}, the /proc counts of the median round. */
        String calls(Figure perf, Figure proc) {
            return calls.map(t -> countedByKernel(t) ? perf.format(calls) : proc.format(calls)).orElse("");
        }
    }

    /** Whether the kernel counted the server's system calls in {@code t} (then its time and CPU are not its usual). */
    private static boolean countedByKernel(Trial t) {
        return t.serverStats() != null && t.serverStats().systemCalls() != null;
    }

    /** One row of the framing table: {@code server} (a line server or its stream twin) at one and at ten messages a write. */
    private static List<Object> framingRow(BenchRun r, Optional<Scenario> pipelined, String server, ServerEntry line) {
        List<Object> row = new ArrayList<>(List.of(server, server.equals(line.name()) ? "messages" : "a stream"));
        List<Point[]> points = List.of(new Point[] {Point.one(r, server), Point.one(r, line.streamTwin())},
                new Point[] {Point.many(pipelined, server), Point.many(pipelined, line.streamTwin())});
        for (Point[] at : points) {
            Point p = at[0];
            Double twin = at[1].cpu();
            row.add(Figure.THROUGHPUT.format(p.rate()));
            row.add(Figure.CPU_PER_MESSAGE.format(p.cpu()));
            row.add(p.cpu() == null || twin == null || twin == 0 ? "" : String.format("%.2fx", p.cpu() / twin));
            row.add(p.calls(Figure.CALLS_READS, Figure.READ_CALLS));
            row.add(p.calls(Figure.CALLS_WRITES, Figure.WRITE_CALLS));
        }
        return row;
    }





    /** The figures of the syscalls scenario, beside the CPU per message of the main table. */
    public static final List<Figure> SYSTEM_CALLS = List.of(Figure.CALLS_ALL, Figure.CALLS_READS, Figure.CALLS_WRITES,
            Figure.CALLS_EPOLL_WAITS, Figure.CALLS_EPOLL_CTLS, Figure.CALLS_IO_URING_ENTERS, Figure.CALLS_FUTEXES);

    private static void systemCalls(StringBuilder s, BenchRun r) {
        List<Table.Column> columns = new ArrayList<>(List.of(text("server"), figure(Figure.CPU_PER_MESSAGE.label)));
        SYSTEM_CALLS.forEach(f -> columns.add(figure(f.label)));
        columns.add(figure("other"));
        Table table = new Table(columns.toArray(Table.Column[]::new));
        for (ServerEntry server : r.servers()) {
            Optional<Trial> counted = r.trial(Kind.SYSCALLS, server.name()).filter(t -> t.serverStats() != null
                    && t.serverStats().systemCalls() != null);
            if (counted.isEmpty()) {
                continue;
            }
            Trial.SystemCalls c = counted.get().serverStats().systemCalls();
            List<Object> cells = new ArrayList<>(List.of(server.name(), Figure.CPU_PER_MESSAGE.format(Figure.CPU_PER_MESSAGE.of(r, server.name()))));
            SYSTEM_CALLS.forEach(f -> cells.add(f.format(counted)));
            cells.add(Figure.CALLS_ALL.format(c.all() - c.reads() - c.writes() - c.epollWaits() - c.epollCtls() - c.ioUringEnters() - c.futexes()));
            table.row(cells.toArray());
        }
        if (table.isEmpty()) {
            return;                                         // perf could not count here, or a run from before
        }
        s.append(String.format("%n## System calls per message (100 x 64 B, counted by the kernel)%n%n"));
        s.append("The reference point once more per server, with `perf stat` counting the kernel's syscall tracepoints for "
                + "every thread of the server, over the 100 ms intervals inside the measured window. Counting slows each call, "
                + "so this trial's time and CPU are not reported; the CPU column is the main table's. A read is read, recvfrom, "
                + "readv or recvmsg; a write their counterparts; an io_uring server's reads and writes are operations in its "
                + "ring, submitted with io_uring_enter.\n\n");
        s.append(table.markdown());
    }

    private static void virtualThreads(StringBuilder s, BenchRun r) {
        List<Figure> figures = List.of(Figure.VT_PINNED, Figure.VT_SUBMIT_FAILED, Figure.VT_CARRIERS, Figure.VT_MOUNTED,
                Figure.VT_QUEUED, Figure.VT_QUEUED_OPEN);
        List<Table.Column> columns = new ArrayList<>(List.of(text("server")));
        figures.forEach(f -> columns.add(figure(f.label)));
        columns.add(figure("pinned in the run"));
        Table table = new Table(columns.toArray(Table.Column[]::new));
        for (ServerEntry server : r.servers()) {
            List<Trial.VirtualThreads> all = r.scenarios().stream().flatMap(sc -> sc.trials().stream())
                    .filter(t -> t.server().equals(server.name()) && t.serverStats() != null)
                    .map(t -> t.serverStats().virtualThreads()).filter(java.util.Objects::nonNull).toList();
            if (all.isEmpty()) {
                continue;
            }
            List<Object> cells = new ArrayList<>(List.of(server.name()));
            figures.forEach(f -> cells.add(f.format(f.of(r, server.name()))));
            cells.add(String.format("%,d in %d trials", all.stream().mapToLong(Trial.VirtualThreads::pinned).sum(), all.size()));
            table.row(cells.toArray());
        }
        if (table.isEmpty()) {
            return;                                         // no virtual-thread server, or recorded without JFR
        }
        s.append(String.format("%n## Virtual threads (100 x 64 B, the median round; and the open loop)%n%n"));
        s.append("From each virtual-thread server's JDK Flight Recorder recording, over the measured window: times a virtual "
                + "thread blocked while pinned to its carrier (every one, no threshold) and times the scheduler could not take "
                + "one; and the scheduler's MXBean read every 100 ms: its carrier threads, and virtual threads mounted on one "
                + "or queued for one, averaged over the readings. (bench --no-jfr runs them without the recording.)\n\n");
        s.append(table.markdown());
    }

    private static void openLoop(StringBuilder s, BenchRun r) {
        s.append(String.format("%n## Open loop at %s msg/s, %d connections, 64 B%n%n", rateText(r), r.settings().openLoopConnections()));
        s.append("Corrected latency counts from each message's planned send time; uncorrected from the actual send.\n\n");
        Table table = new Table(text("server"), figure("target msg/s"), figure("achieved msg/s"), figure("p50"), figure("p90"),
                figure("p99"), figure("p99.9"), figure("max"), figure("uncorrected p99"), figure("uncorrected max"), text("status"));
        for (Trial t : r.scenario(Kind.OPEN).map(Scenario::trials).orElse(List.of())) {
            LoadReport l = t.load();
            table.row(t.server(), l == null ? "" : number(l.targetRate(), "%,.0f"), l == null ? "" : number(l.achievedRate(), "%,.0f"),
                    micros(t.latency(Percentile.P50)), micros(t.latency(Percentile.P90)), micros(t.latency(Percentile.P99)),
                    micros(t.latency(Percentile.P999)), micros(t.latency(Percentile.MAX)),
                    micros(t.uncorrectedLatency(Percentile.P99)), micros(t.uncorrectedLatency(Percentile.MAX)), statusText(t));
        }
        s.append(table.markdown());
    }

    private static void scale(StringBuilder s, BenchRun r) {
        s.append(String.format("%n## Connection scale: %d idle connections plus one active%n%n", r.settings().idleConnections()));
        Table table = new Table(text("server"), figure("idle opened"), figure("accepted by server"), figure("RSS before KiB"),
                figure("RSS with idle KiB"), figure("KiB per idle conn"), figure("threads before"), figure("threads with idle"),
                figure("active p50"), figure("active p99"), text("status"));
        for (Trial t : r.scenario(Kind.SCALE).map(Scenario::trials).orElse(List.of())) {
            Trial.ScaleStats c = t.idle().orElse(null);
            table.row(t.server(), c == null ? "" : c.idleOpened(), c == null ? "" : c.idleAcceptedByServer(),
                    c == null ? "" : c.rssBaselineKiB(), c == null ? "" : c.rssWithIdleKiB(),
                    c == null ? "" : number(c.rssPerIdleConnectionKiB(), "%.2f"),
                    c == null ? "" : c.threadsBaseline(), c == null ? "" : c.threadsWithIdle(),
                    micros(t.latency(Percentile.P50)), micros(t.latency(Percentile.P99)), statusText(t));
        }
        s.append(table.markdown());
    }

    /** The first held round: echo-lab's generator and the native client, each against the same held server. */
    private static void heldAgainstNativeClient(StringBuilder s, BenchRun r) {
        List<Trial> trials = r.scenario(Kind.HELD).map(Scenario::trials).orElse(List.of()).stream()
                .filter(t -> t.round() == 1 && t.againstNativeClient().isPresent()).toList();
        if (trials.isEmpty()) {
            return;
        }
        s.append(String.format("%n## The held servers against the native client%n%nRound 1 of the main table's rounds, then the same "
                + "load (%d x %d B, closed loop) from a minimal native epoll client under the same hold: where the two rates agree, "
                + "the server's share of a CPU set the rate, not echo-lab's generator; the native client's rate orders the servers "
                + "by their own cost per message.%n%n", Scenario.REFERENCE_CONNECTIONS, Scenario.REFERENCE_SIZE));
        Table table = new Table(text("server"), figure("generator msg/s"), figure("native client msg/s"), figure("ratio"),
                figure("generator's busiest thread"));
        for (Trial t : trials) {
            Trial.CapacityStats c = t.againstNativeClient().orElseThrow();
            table.row(t.server(), String.format("%,.0f", c.generatorMessagesPerSecond()), String.format("%,.0f", c.nativeClientMessagesPerSecond()),
                    String.format("%.2f", c.generatorToNativeClient()), String.format("%.0f%%", 100 * c.generatorBusiestThreadLoad()));
        }
        s.append(table.markdown());
    }

    private static void capacity(StringBuilder s, BenchRun r) {
        r.scenario(Kind.CAPACITY).flatMap(c -> c.trials().stream().findFirst()).flatMap(Trial::againstNativeClient).ifPresent(c ->
                s.append(String.format("%n## The generator's own capacity%n%nAgainst the native epoll server, %d connections "
                                + "x %d B, closed loop, each client on the generator's core: echo-lab's generator %,.0f msg/s, "
                                + "a minimal native epoll client %,.0f msg/s (ratio %.2f).%n", Scenario.REFERENCE_CONNECTIONS,
                        Scenario.REFERENCE_SIZE, c.generatorMessagesPerSecond(), c.nativeClientMessagesPerSecond(),
                        c.generatorToNativeClient())));
    }

    private static void failures(StringBuilder s, BenchRun r) {
        List<String> lines = new ArrayList<>();
        for (ServerEntry server : r.servers()) {
            if (server.skipped() != null) {
                lines.add("- " + server.name() + ": skipped: " + server.skipped());
            }
        }
        for (Scenario scenario : r.scenarios()) {
            for (Trial t : scenario.trials()) {
                if (t.status() == Status.FAILED) {
                    lines.add(String.format("- %s %s c=%d: failed: %s", t.server(), scenario.kind().label(),
                            scenario.connections(), t.error()));
                }
            }
        }
        if (!lines.isEmpty()) {
            s.append("\n## Failed or skipped\n\n").append(String.join("\n", lines)).append('\n');
        }
    }

    private static String spread(BenchRun r, String server) {
        List<Trial> rounds = r.referenceRounds(server);
        if (rounds.size() < 2) {
            return "";
        }
        return String.format("%,.0f-%,.0f", rounds.stream().mapToDouble(Trial::throughput).min().orElse(0),
                rounds.stream().mapToDouble(Trial::throughput).max().orElse(0));
    }

    private static String statusText(Trial t) {
        return t.status().label() + (t.generatorBound() ? ", generator-bound" : "");
    }

    private static String note(Optional<Trial> ref, Optional<Trial> open, Optional<Trial> scale) {
        List<String> notes = new ArrayList<>();
        for (Optional<Trial> o : List.of(ref, open, scale)) {
            if (o.isEmpty()) {
                continue;
            }
            Trial t = o.get();
            String kind = t == ref.orElse(null) ? "closed" : t == open.orElse(null) ? "open" : "scale";
            if (t.status() == Status.STARVED && t.load() != null) {
                notes.add(kind + ": " + t.load().starvedConnections() + " of " + t.load().connectionsRequested() + " starved");
            } else if (t.status() == Status.FAILED) {
                notes.add(kind + " failed");
            }
            if (t.generatorBound() && t == ref.orElse(null)) {
                notes.add("generator-bound");
            }
        }
        return String.join("; ", notes);
    }

    private static String rateText(BenchRun r) {
        return r.settings().openLoopRate() == null ? "(not run)" : String.format("%,.0f", r.settings().openLoopRate());
    }
}
