package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.load.LoadReport;
import echolab.bench.alloc.AllocationSites;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Figure;
import echolab.bench.results.Unit;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Scenario.Kind;
import echolab.bench.results.Table;
import echolab.bench.results.Trial;
import echolab.bench.teaching.TeachingFile;

/**
 * The figures the lessons show, each read from a run (never typed in): a figure is named in a lesson
 * by its id and, for some, a server ({@code idle-memory selector}). Where a run is missing or lacks the
 * scenario, the figure says so and names the command that produces it.
 */
record Figures(CourseData data, Path figuresDir) {

    static final String BENCH_COMMAND = "./echolab bench";
    static final String JMH_COMMAND = "./echolab jmh Bench03 -prof gc";
    static final String ALLOC_COMMAND = "./echolab alloc";

    /** The figures a lesson may name, and whether each needs a server after its id. */
    private static final java.util.Map<String, Boolean> IDS = java.util.Map.ofEntries(
            java.util.Map.entry("starved-connections", false), java.util.Map.entry("open-loop-unanswered", false),
            java.util.Map.entry("idle-memory", true), java.util.Map.entry("thousand-connections", true),
            java.util.Map.entry("state-diagram", true), java.util.Map.entry("cpu-per-message", true),
            java.util.Map.entry("kernel-per-message", true), java.util.Map.entry("idle-buffer", true),
            java.util.Map.entry("allocation-per-echo", true), java.util.Map.entry("allocation-sites", true),
            java.util.Map.entry("ranking", false), java.util.Map.entry("ladder", true), java.util.Map.entry("rate-at-target", true),
            java.util.Map.entry("system-calls", true), java.util.Map.entry("virtual-threads", true),
            java.util.Map.entry("poller-modes", true), java.util.Map.entry("framing-files", false),
            java.util.Map.entry("framing-cost", false));

    /** The figure that takes an exercise's name rather than a server's: its symptom, as its newest saved run measured it. */
    private static final String EXERCISE_SYMPTOM = "exercise-symptom";

    /** What is wrong with a lesson's figure block ("id" or "id server"), or null when it names a figure. */
    static String problem(String spec) {
        String[] words = spec.strip().split("\\s+");
        if (words[0].equals(EXERCISE_SYMPTOM)) {
            try {
                if (words.length < 2 || echolab.bench.exercise.Exercise.all().stream().noneMatch(e -> e.name().equals(words[1]))) {
                    return "figure '" + EXERCISE_SYMPTOM + "' needs an exercise's name after it, e.g. '" + EXERCISE_SYMPTOM
                            + " virtual-thread-waits-for-acks'";
                }
            } catch (IOException e) {
                return "the exercises cannot be read: " + e.getMessage();
            }
            return null;
        }
        Boolean needsServer = IDS.get(words[0]);
        if (needsServer == null) {
            java.util.Set<String> ids = new java.util.TreeSet<>(IDS.keySet());
            ids.add(EXERCISE_SYMPTOM);
            return "no figure called '" + words[0] + "'; the figures are " + ids;
        }
        if (needsServer && (words.length < 2 || ServerCatalogue.ALL.stream().noneMatch(e -> e.name().equals(words[1])))) {
            return "figure '" + words[0] + "' needs a server's name after it, e.g. '" + words[0] + " selector'";
        }
        return null;
    }

    /** The figure named {@code spec}, which {@link #problem} has accepted. */
    PageFigure figure(String spec) throws IOException {
        String[] words = spec.strip().split("\\s+");
        String server = words.length > 1 ? words[1] : null;
        return switch (words[0]) {
            case "starved-connections" -> starvedConnections();
            case "open-loop-unanswered" -> openLoopUnanswered();
            case "idle-memory" -> idleMemory(server);
            case "thousand-connections" -> thousandConnections(server);
            case "state-diagram" -> stateDiagram(server);
            case "cpu-per-message" -> cpuPerMessage(server);
            case "kernel-per-message" -> kernelPerMessage(server);
            case "idle-buffer" -> idleBuffer(server);
            case "allocation-per-echo" -> allocationPerEcho(server);
            case "allocation-sites" -> allocationSites(server);
            case "ranking" -> Ranking.figure(data, this, figuresDir);
            case "ladder" -> new ScaleFigures(data, figuresDir).ladder(server);
            case "rate-at-target" -> new ScaleFigures(data, figuresDir).rateAtTarget(server);
            case "system-calls" -> new RuntimeFigures(data, figuresDir).systemCalls(server);
            case "virtual-threads" -> new RuntimeFigures(data, figuresDir).virtualThreads(server);
            case "poller-modes" -> new RuntimeFigures(data, figuresDir).pollerModes(server);
            case "framing-files" -> framingFiles();
            case "framing-cost" -> framingCost();
            case EXERCISE_SYMPTOM -> exerciseSymptom(words[1]);
            default -> throw new IllegalStateException("figure " + words[0] + " has no drawing");
        };
    }

    // ---- framing ---------------------------------------------------------------------------------------

    /** The files the framing lesson compares, side by side, aligned by section. */
    static final List<String> FRAMING_FILES = List.of("selector-lines", "virtual-thread-lines", "py-asynchat");

    /** The command that measures the line servers beside their stream twins, and the one that finds where they allocate. */
    static final String LINES_COMMAND = "./echolab bench --only lines,selector,virtual-thread,py-asyncore,py-asyncio";
    static final String LINES_ALLOC_COMMAND = "./echolab alloc --servers selector,selector-lines,virtual-thread,virtual-thread-lines "
            + "--pipeline 1," + Scenario.PIPELINED_MESSAGES;

    private PageFigure framingFiles() {
        List<TeachingFile> columns = FRAMING_FILES.stream().map(n -> data.lineFiles().get(n)).toList();
        return new PageFigure("framing-files", "The same protocol three ways: asynchat in Java, a loop on a virtual thread, asynchat",
                SideBySide.grid(columns, f -> "<h3>" + Html.escape(f.server()) + "</h3>", 4, f -> n -> ""), null, null,
                CourseSite.generatedFrom(data), false);
    }

    private PageFigure framingCost() {
        String title = "What framing costs: each line server beside its stream twin (100 connections × 64 B)";
        if (data.lines().isEmpty()) {
            return new PageFigure("framing-cost", title, "<p>No bench run of the line servers was found under results/. Produce one "
                    + "with <code>" + LINES_COMMAND + "</code>.</p>", null, null, "Missing: <code>" + LINES_COMMAND + "</code>", true);
        }
        CourseData.Run lines = data.lines().get();
        Table table = SummaryMarkdown.framingTable(lines.run());
        StringBuilder body = new StringBuilder("<p>" + Html.escape(SummaryMarkdown.FRAMING_TEXT.replace("`", "")) + "</p>");
        body.append(table.html());
        List<String> sources = new ArrayList<>(List.of(source(data, "Bench run", lines.run(), lines.dir())));
        if (data.linesAllocation().isPresent()) {
            AllocationSites a = data.linesAllocation().get();
            Table alloc = serverTable("server", "allocated per echo, 1 a write", "allocated per echo, "
                    + Scenario.PIPELINED_MESSAGES + " a write");
            for (AllocationSites.ServerSites s : a.servers()) {
                if (s.pipeline() == 1) {
                    Optional<AllocationSites.ServerSites> ten = a.server(s.server(), Scenario.PIPELINED_MESSAGES);
                    alloc.row(s.server(), Unit.BYTES_PER_MESSAGE.withSymbol(s.bytesPerEcho()),
                            ten.map(t -> Unit.BYTES_PER_MESSAGE.withSymbol(t.bytesPerEcho())).orElse(""));
                }
            }
            body.append("<p>Bytes allocated per echo on the server's side (JDK Flight Recorder's allocation samples, the client's "
                    + "set apart; one connection, the messages sent one or several to a write):</p>").append(alloc.html());
            sources.add(a.sourceHtml());
        } else {
            body.append("<p>No allocation-sites run of the line servers was found under results/alloc/: produce one with <code>"
                    + LINES_ALLOC_COMMAND + "</code>.</p>");
        }
        return new PageFigure("framing-cost", title, body.toString(), null, null, String.join("<br>", sources), false);
    }

    // ---- sync ------------------------------------------------------------------------------------------

    private PageFigure starvedConnections() throws IOException {
        String title = "Connections never answered, closed loop at 100 connections";
        if (bench().isEmpty() || bench().get().reference().isEmpty()) {
            return missingBench("starved-connections", title, "the closed loop at 100 connections");
        }
        BenchRun r = bench().get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "connections", "answered",
                "never answered", "run length");
        for (BenchRun.ServerEntry s : teaching(r)) {
            Optional<Trial> t = closed(r, s.name(), Scenario.REFERENCE_CONNECTIONS);
            if (t.isEmpty() || t.get().load() == null) {
                continue;
            }
            LoadReport l = t.get().load();
            bars.add(new CourseChart.Bar(s.name(), l.starvedConnections(), s.name().equals("sync")));
            rows.row(s.name(), String.valueOf(l.connectionsOpened()), String.valueOf(l.connectionsOpened() - l.starvedConnections()),
                    String.valueOf(l.starvedConnections()), String.format("%.1f s", l.warmupSeconds() + l.seconds() + l.rampUpSeconds()));
        }
        StringBuilder sweep = new StringBuilder();
        for (Scenario sc : r.scenarios()) {
            if (sc.kind() == Kind.CLOSED && sc.size() == Scenario.REFERENCE_SIZE) {
                BenchRun.trialsOf(Optional.of(sc), "sync").stream().filter(t -> t.round() == 1 && t.load() != null).findFirst()
                        .ifPresent(t -> sweep.append(String.format("%,d of %,d", t.load().connectionsOpened() - t.load().starvedConnections(),
                                t.load().connectionsOpened())).append("; "));
            }
        }
        Trial sync = closed(r, "sync", Scenario.REFERENCE_CONNECTIONS).orElse(null);
        String sentence = sync == null || sync.load() == null ? "" : String.format(
                "<p class=\"headline\">sync answered <strong>%d of %d</strong> connections; the other %d waited the whole run "
                        + "without one echo. Over the sweep (1, 10, 100, 1,000 connections, 64 B), it answered %s.</p>",
                sync.load().connectionsOpened() - sync.load().starvedConnections(), sync.load().connectionsOpened(),
                sync.load().starvedConnections(), sweep.toString().replaceAll("; $", ""));
        String chart = CourseChart.bars(figuresDir, "starved-connections", "Never answered, 100 connections x 64 B, closed loop",
                "connections", bars, false);
        return new PageFigure("starved-connections", title, sentence + rows.html(), chart, "bar chart: connections never answered per server", benchSource(r), false);
    }

    private PageFigure openLoopUnanswered() throws IOException {
        String title = "Open loop at a fixed rate: latency from the planned send time";
        Optional<Scenario> open = bench().flatMap(r -> r.scenario(Kind.OPEN));
        if (open.isEmpty()) {
            return missingBench("open-loop-unanswered", title, "the open loop");
        }
        BenchRun r = bench().get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "answered msg/s", "never answered",
                "p50 (corrected)", "p99 (corrected)", "p99 (uncorrected)");
        for (BenchRun.ServerEntry s : teaching(r)) {
            Optional<Trial> t = r.trial(Kind.OPEN, s.name()).filter(Trial::measured);
            if (t.isEmpty()) {
                continue;
            }
            LoadReport l = t.get().load();
            bars.add(new CourseChart.Bar(s.name(), t.get().latency(Percentile.P99) == null ? 0 : t.get().latency(Percentile.P99) / 1000, s.name().equals("sync")));
            rows.row(s.name(), Unit.RATE.format(l.achievedRate() == null ? 0 : l.achievedRate()),
                    String.format("%,d", l.errors().unansweredMessages()), micro(t.get().latency(Percentile.P50)), micro(t.get().latency(Percentile.P99)),
                    micro(t.get().uncorrectedLatency(Percentile.P99)));
        }
        Trial sync = r.trial(Kind.OPEN, "sync").filter(Trial::measured).orElse(null);
        String sentence = sync == null ? "" : String.format("<p class=\"headline\">At %,.0f messages a second over %d connections, "
                        + "<strong>%,d messages to sync were never answered</strong>; counted from when each was due, its p99 "
                        + "is %s: the time those messages had been waiting when the run ended.</p>",
                open.get().rate() == null ? 0 : open.get().rate(), open.get().connections(), sync.load().errors().unansweredMessages(),
                micro(sync.latency(Percentile.P99)));
        String chart = CourseChart.bars(figuresDir, "open-loop-p99", "Open loop: p99 from the planned send time", "milliseconds (log)",
                bars, true);
        return new PageFigure("open-loop-unanswered", title, sentence + rows.html(), chart, "bar chart: corrected p99 per server",
                benchSource(r), false);
    }

    // ---- thread-per-conn -------------------------------------------------------------------------------

    private PageFigure idleMemory(String highlight) throws IOException {
        String title = "Memory and threads per idle connection";
        Optional<Scenario> scale = bench().flatMap(r -> r.scenario(Kind.SCALE));
        if (scale.isEmpty()) {
            return missingBench("idle-memory", title, "the idle-connection scenario");
        }
        BenchRun r = bench().get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "held by the server",
                "RSS per connection", "threads", "threads per connection");
        for (BenchRun.ServerEntry s : r.servers()) {
            Optional<Trial.ScaleStats> st = r.trial(Kind.SCALE, s.name()).flatMap(Trial::idle);
            if (st.isEmpty() || st.get().rssPerIdleConnectionKiB() == null) {
                continue;
            }
            bars.add(new CourseChart.Bar(s.name(), st.get().rssPerIdleConnectionKiB(), s.name().equals(highlight)));
            rows.row(s.name(), String.format("%,d", st.get().idleAcceptedByServer()),
                    Unit.KIB.format(st.get().rssPerIdleConnectionKiB()), String.format("%,d → %,d", st.get().threadsBaseline(),
                            st.get().threadsWithIdle()), Unit.THREADS_PER_CONNECTION.format(st.get().threadsPerIdleConnection()));
        }
        Trial.ScaleStats mine = r.trial(Kind.SCALE, highlight).flatMap(Trial::idle).orElse(null);
        String sentence = mine == null || mine.rssPerIdleConnectionKiB() == null ? "" : String.format(
                "<p class=\"headline\">Holding %,d idle connections, %s grew by <strong>%.1f KiB</strong> and <strong>%.2f threads</strong> "
                        + "per connection.</p>", mine.idleOpened(), highlight, mine.rssPerIdleConnectionKiB(),
                mine.threadsPerIdleConnection() == null ? 0 : mine.threadsPerIdleConnection());
        String chart = CourseChart.bars(figuresDir, "idle-memory-" + highlight, "RSS growth per idle connection", "KiB per connection",
                bars, false);
        return new PageFigure("idle-memory-" + highlight, title, sentence + rows.html(), chart,
                "bar chart: KiB of RSS per idle connection per server", benchSource(r), false);
    }

    private PageFigure thousandConnections(String highlight) throws IOException {
        String title = "A thousand busy connections";
        Optional<Integer> most = bench().map(r -> r.settings().connections().stream().max(Integer::compare).orElse(0));
        if (most.isEmpty() || most.get() < 1000) {
            return missingBench("thousand-connections", title, "the closed loop at 1,000 connections");
        }
        BenchRun r = bench().get();
        int c = most.get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "msg/s", "p99", "ramp-up",
                "answered in ramp-up", "never answered", "peak threads");
        for (BenchRun.ServerEntry s : teaching(r)) {
            Optional<Trial> t = closed(r, s.name(), c).filter(Trial::measured);
            if (t.isEmpty()) {
                continue;
            }
            LoadReport l = t.get().load();
            bars.add(new CourseChart.Bar(s.name(), l.messagesPerSecond(), s.name().equals(highlight)));
            rows.row(s.name(), Unit.RATE.format(l.messagesPerSecond()), micro(t.get().latency(Percentile.P99)),
                    String.format("%.2f s", l.rampUpSeconds()), String.format("%,d", l.answeredInRampUp()),
                    String.format("%,d", l.starvedConnections()), String.format("%,d", t.get().serverStats().peakThreads()));
        }
        Trial mine = closed(r, highlight, c).filter(Trial::measured).orElse(null);
        String sentence = mine == null ? "" : String.format("<p class=\"headline\">With %,d busy connections, %s took "
                        + "<strong>%.2f s</strong> until each had been echoed once (%,d of %,d), then ran with <strong>%,d threads</strong> "
                        + "at its peak; p99 %s.</p>", c, highlight, mine.load().rampUpSeconds(), mine.load().answeredInRampUp(),
                mine.load().connectionsOpened(), mine.serverStats().peakThreads(), micro(mine.latency(Percentile.P99)));
        String chart = CourseChart.bars(figuresDir, "thousand-" + highlight, String.format("Closed loop, %,d connections x 64 B", c),
                "messages per second", bars, false);
        return new PageFigure("thousand-" + highlight, title, sentence + rows.html(), chart, "bar chart: throughput at 1,000 connections",
                benchSource(r), false);
    }

    // ---- selector --------------------------------------------------------------------------------------

    private PageFigure stateDiagram(String server) throws IOException {
        TeachingFile file = data.file(server);
        List<String> pre = Html.preBlock(file.javadoc().text());
        String title = "A connection's states, as " + file.fileName() + " describes them";
        if (pre.isEmpty()) {
            return new PageFigure("state-diagram-" + server, title, "<p>" + file.fileName() + " has no state diagram in its Javadoc.</p>",
                    null, null, "", true);
        }
        String svg = StateDiagram.parse(pre).svg(title);
        java.nio.file.Files.createDirectories(figuresDir);
        java.nio.file.Files.writeString(figuresDir.resolve("states-" + server + ".svg"), svg);
        return new PageFigure("state-diagram-" + server, title, "", "states-" + server + ".svg",
                "state diagram: " + String.join(", ", StateDiagram.parse(pre).states()),
                String.format("Drawn from the <code>&lt;pre&gt;</code> block of the class Javadoc, %s lines %d–%d, when this page "
                        + "was generated.", file.fileName(), file.javadoc().firstLine(), file.javadoc().lastLine()), false);
    }

    private PageFigure cpuPerMessage(String highlight) throws IOException {
        String title = "Server CPU per message, closed loop at 100 connections x 64 B";
        if (bench().isEmpty() || bench().get().reference().isEmpty()) {
            return missingBench("cpu-per-message", title, "the closed loop at 100 connections");
        }
        BenchRun r = bench().get();
        title += r.heldText();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "kind", "CPU per message",
                "msg/s (that round)");
        for (BenchRun.ServerEntry s : r.servers()) {
            Double cpu = Figure.CPU_PER_MESSAGE.of(r, s.name());
            if (cpu == null) {
                continue;
            }
            bars.add(new CourseChart.Bar(s.name(), cpu, s.name().equals(highlight)));
            rows.row(s.name(), s.kind(), Figure.CPU_PER_MESSAGE.unit.withSymbol(cpu), Figure.THROUGHPUT.format(Figure.THROUGHPUT.of(r, s.name())));
        }
        Double mine = Figure.CPU_PER_MESSAGE.of(r, highlight);
        Double nativ = Figure.CPU_PER_MESSAGE.of(r, "native");
        String sentence = mine == null ? "" : String.format("<p class=\"headline\">%s spent <strong>%.1f µs</strong> of CPU per echoed "
                + "message%s.</p>", highlight, mine, nativ == null ? "" : String.format("; the native epoll server, %.1f µs (a ratio of %.2f)",
                nativ, mine / nativ));
        String chart = CourseChart.bars(figuresDir, "cpu-" + highlight, "Server CPU per message (median round)", "µs per message", bars,
                false);
        return new PageFigure("cpu-" + highlight, title, sentence + rows.html(), chart, "bar chart: server CPU microseconds per message", benchSource(r), false);
    }

    private PageFigure kernelPerMessage(String highlight) throws IOException {
        String title = "System calls and context switches per message, closed loop at 100 connections x 64 B";
        if (bench().isEmpty() || bench().get().reference().isEmpty()) {
            return missingBench("kernel-per-message", title, "the closed loop at 100 connections");
        }
        BenchRun r = bench().get();
        title += r.heldText();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "read calls", "write calls", "voluntary switches",
                "involuntary switches");
        for (BenchRun.ServerEntry s : r.servers()) {
            Optional<Trial> t = Figure.SWITCHES.trial(r, s.name());
            if (t.map(Trial::serverStats).map(Trial.ServerStats::perMessage).isEmpty()) {
                continue;                                   // a run from before the counters were recorded
            }
            Double switches = t.map(Figure.SWITCHES::of).orElse(null);
            bars.add(new CourseChart.Bar(s.name(), switches == null ? 0 : switches, s.name().equals(highlight)));
            rows.row(s.name(), Figure.READ_CALLS.format(t), Figure.WRITE_CALLS.format(t), Figure.VOLUNTARY_SWITCHES.format(t),
                    Figure.INVOLUNTARY_SWITCHES.format(t));
        }
        if (bars.isEmpty()) {
            return new PageFigure("kernel-" + highlight, title, "<p>This bench run did not record the kernel's counters per message; runs of "
                    + "<code>./echolab bench</code> from this version of echo-lab on do.</p>", null, null, benchSource(r), true);
        }
        String chart = CourseChart.bars(figuresDir, "kernel-" + highlight, "Context switches per message", "switches per message", bars,
                false);
        return new PageFigure("kernel-" + highlight, title, rows.html(), chart, "bar chart: context switches per message", benchSource(r), false);
    }

    // ---- virtual-thread --------------------------------------------------------------------------------

    private PageFigure idleBuffer(String server) throws IOException {
        TeachingFile file = data.file(server);
        int line = file.find(1, "BUFFER_SIZE =");
        long buffer = BufferSize.of(file.line(line));
        PageFigure idle = idleMemory(server);
        if (idle.missing()) {
            return idle;
        }
        Trial.ScaleStats st = bench().get().trial(Kind.SCALE, server).flatMap(Trial::idle).orElseThrow();
        double kib = st.rssPerIdleConnectionKiB();
        String sentence = String.format("<p class=\"headline\">Of the <strong>%.1f KiB</strong> per idle connection, the echo buffer "
                        + "that section 3 allocates before its first read is <strong>%.1f KiB</strong> (<code>%s</code>, line %d): "
                        + "%.0f%%. The rest is the parked virtual thread itself (its stack, copied to the heap when it parks) and the "
                        + "socket's objects.</p>", kib, buffer / 1024.0, Html.escape(file.line(line).strip()), line,
                100 * (buffer / 1024.0) / kib);
        return new PageFigure("idle-buffer-" + server, "Where the memory of an idle " + server + " connection goes", sentence + idle.body(),
                idle.chart(), idle.chartAlt(), idle.source(), false);
    }

    /**
     * An exercise's symptom on the broken copy beside the real server, in one run: the newest that
     * {@code ./echolab exercise run NAME --save} kept under results/exercise/.
     */
    private PageFigure exerciseSymptom(String name) throws IOException {
        String command = "./echolab exercise run " + name + " --save";
        Optional<echolab.bench.exercise.ExerciseRun> found = echolab.bench.exercise.ExerciseRun.newest(data.root(), name);
        String title = "The exercise " + name + ", measured: the broken copy beside the real server";
        if (found.isEmpty()) {
            return new PageFigure("exercise-" + name, title, "<p>No saved run of this exercise was found under results/exercise/. "
                    + "Produce one with <code>" + command + "</code>.</p>", null, null, "Missing: <code>" + command + "</code>", true);
        }
        echolab.bench.exercise.ExerciseRun r = found.get();
        Table rows = new Table(Table.text(r.symptom()), Table.figure("broken"), Table.figure("real"));
        r.observations().forEach(o -> rows.row(o.name(), o.broken(), o.real() == null ? "" : o.real()));
        String verdict = !r.brokenHealthy() && r.realHealthy() ? "The broken copy shows the symptom; the real server does not."
                : r.brokenHealthy() ? "The broken copy did not show the symptom in this run."
                : "Both showed it: the machine was too busy to tell.";
        String caught = r.caughtBy().isEmpty() ? "No contract test caught it."
                : String.format("The contract suite caught it: %d of %d tests failed (%s).", r.caughtBy().size(), r.tests(),
                        String.join(", ", r.caughtBy()));
        String source = String.format("Exercise run results/exercise/%s-%s.json, %s, on %s. Reproduce: <code>%s</code>",
                Html.escape(r.id()), Html.escape(name), Html.escape(date(r.startedAt())), Html.escape(r.environment().oneLine()),
                Html.escape(r.command()));
        return new PageFigure("exercise-" + name, title, "<p class=\"headline\">" + Html.escape(verdict) + " " + Html.escape(caught)
                + "</p>" + rows.html(), null, null, source, false);
    }

    private PageFigure allocationPerEcho(String highlight) throws IOException {
        String title = "Bytes allocated per echo (JMH, Bench03_Allocation, 64 B)";
        if (data.jmh().isEmpty() || data.jmh().get().results().stream().noneMatch(x -> x.allocatedBytesPerOp() != null)) {
            return new PageFigure("allocation-" + highlight, title, "<p>No JMH run with <code>-prof gc</code> was found under results/jmh/. "
                    + "Produce one with <code>" + JMH_COMMAND + "</code>.</p>", null, null, "Missing: <code>" + JMH_COMMAND + "</code>", true);
        }
        JmhRun j = data.jmh().get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = serverTable("server", "allocated per echo", "round trip");
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            Optional<JmhRun.Score> res = j.find("Bench03_Allocation", "avgt", e.name(), 64);
            if (res.isEmpty() || res.get().allocatedBytesPerOp() == null) {
                continue;
            }
            bars.add(new CourseChart.Bar(e.name(), res.get().allocatedBytesPerOp(), e.name().equals(highlight)));
            rows.row(e.name(), Unit.BYTES_PER_MESSAGE.withSymbol(res.get().allocatedBytesPerOp()), String.format("%.1f ± %.1f %s",
                    res.get().score(), res.get().error(), res.get().unit()));
        }
        Optional<JmhRun.Score> mine = j.find("Bench03_Allocation", "avgt", highlight, 64);
        String sentence = mine.isEmpty() || mine.get().allocatedBytesPerOp() == null ? "" : String.format(
                "<p class=\"headline\">Each echo through %s allocated <strong>%.0f bytes</strong> (the whole JVM, client included, "
                        + "divided by echoes).</p>", highlight, mine.get().allocatedBytesPerOp());
        String chart = CourseChart.bars(figuresDir, "allocation-" + highlight, "Bytes allocated per echo (JMH -prof gc)", "bytes per echo",
                bars, false);
        return new PageFigure("allocation-" + highlight, title, sentence + rows.html(),
                chart, "bar chart: bytes allocated per echo per server", jmhSource(j), false);
    }

    private PageFigure allocationSites(String server) throws IOException {
        String title = "Where the bytes allocated per echo come from";
        Optional<AllocationSites.ServerSites> sites = data.allocation().flatMap(a -> a.server(server));
        if (sites.isEmpty()) {
            return new PageFigure("allocation-sites-" + server, title, "<p>No allocation-sites run for " + server + " was found under "
                    + "results/alloc/. Produce one with <code>" + ALLOC_COMMAND + "</code>.</p>", null, null,
                    "Missing: <code>" + ALLOC_COMMAND + "</code>", true);
        }
        AllocationSites a = data.allocation().get();
        AllocationSites.ServerSites s = sites.get();
        List<CourseChart.Bar> bars = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        List<AllocationSites.Site> top = s.sites().stream().sorted(Comparator.comparingDouble(AllocationSites.Site::bytesPerEcho).reversed())
                .limit(6).toList();
        List<String> shares = new ArrayList<>();
        for (AllocationSites.Site site : top) {
            double share = 100 * site.bytesPerEcho() / s.bytesPerEcho();
            String rank = "#" + (bars.size() + 1);
            bars.add(new CourseChart.Bar(rank + " " + site.shortClass().substring(site.shortClass().lastIndexOf('$') + 1), share, true));
            rows.append(String.format("<tr><td>%s <code>%s</code></td><td><code>%s</code></td><td class=\"num\">%.1f B</td>"
                            + "<td class=\"num\">%.0f%%</td></tr>%n", rank, Html.escape(site.shortClass()), Html.escape(path(site)),
                    site.bytesPerEcho(), share));
            if (share >= 10) {
                shares.add(String.format("<strong>%.0f%%</strong> <code>%s</code>, allocated in <code>%s</code>", share,
                        Html.escape(site.shortClass()), Html.escape(path(site))));
            }
        }
        String sentence = String.format("<p class=\"headline\">JDK Flight Recorder sampled %,d allocations over %,d echoes of the "
                + "%s server: about %.0f bytes per echo, of which %s.</p>", s.samples(), s.echoes(), server, s.bytesPerEcho(),
                shares.isEmpty() ? "no site holds a tenth" : String.join("; ", shares));
        String chart = CourseChart.bars(figuresDir, "allocation-sites-" + server, "Share of the bytes allocated per echo, by class (JFR)",
                "% of the bytes", bars, false);
        return new PageFigure("allocation-sites-" + server, title, sentence + "<table><thead><tr><th>allocated</th><th>where (innermost "
                + "first)</th><th>bytes per echo</th><th>share</th></tr></thead><tbody>\n" + rows + "</tbody></table>", chart,
                "bar chart: share of the bytes allocated per echo by class", a.sourceHtml(), false);
    }

    /** Where a site allocates: its frame, and the first frame of another class on the way there. */
    private static String path(AllocationSites.Site site) {
        String frameClass = site.frame().substring(0, Math.max(0, site.frame().lastIndexOf('.')));
        String caller = site.stack() == null ? null : site.stack().stream()
                .filter(f -> !f.startsWith(frameClass + ".")).findFirst().orElse(null);
        return shortName(site.frame()) + (caller == null ? "" : " ← " + shortName(caller));
    }

    private static String shortName(String frame) {
        String[] parts = frame.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : frame;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    Optional<BenchRun> bench() {
        return data.bench();
    }

    static List<BenchRun.ServerEntry> teaching(BenchRun r) {
        return r.servers().stream().filter(s -> "teaching".equals(s.kind())).toList();
    }

    static Optional<Trial> closed(BenchRun r, String server, int connections) {
        return r.scenarios().stream().filter(s -> s.kind() == Kind.CLOSED && s.connections() == connections
                        && s.size() == Scenario.REFERENCE_SIZE).findFirst()
                .flatMap(s -> s.trials().stream().filter(t -> t.server().equals(server) && t.round() == 1).findFirst());
    }

    /** Where a bench figure comes from: the run, its machine, the date, and the command that reproduces it. */
    String benchSource(BenchRun r) {
        return source(data, "Bench run", r, data.benchDir());
    }

    /** Where a figure of a run in {@code dir} (a {@code kind}: "Bench run", "Scale run", ...) comes from, linked to its summary. */
    static String source(CourseData data, String kind, BenchRun r, Path dir) {
        String folder = dir == null ? r.run().id() : data.root().toAbsolutePath().normalize().relativize(dir.toAbsolutePath().normalize())
                .toString();
        return String.format("%s <a href=\"../../%s/summary.md\">%s</a>, %s, on %s. Reproduce: <code>%s</code>", kind,
                Html.escape(folder), Html.escape(r.run().id()), Html.escape(date(r.run().startedAt())),
                Html.escape(r.environment().oneLine()), Html.escape(r.run().command()));
    }

    String jmhSource(JmhRun j) {
        return String.format("JMH run %s (JSON: results/jmh/%s), JDK %s%s. Reproduce: <code>%s</code>", Html.escape(j.id()),
                Html.escape(j.file().getFileName().toString()), Html.escape(j.jdk()), Html.escape(j.environmentText()), JMH_COMMAND);
    }

    private PageFigure missingBench(String id, String title, String what) {
        String command = BENCH_COMMAND + " --profile quick";
        if (bench().isEmpty()) {
            return new PageFigure(id, title, "<p>No bench run was found under results/, so this figure cannot be drawn. Produce one with "
                    + "<code>" + BENCH_COMMAND + "</code> (about five minutes) or <code>" + command + "</code> (about one).</p>",
                    null, null, "Missing: <code>" + BENCH_COMMAND + "</code>", true);
        }
        return new PageFigure(id, title, "<p>Bench run " + Html.escape(bench().get().run().id()) + " did not measure " + Html.escape(what)
                + "; this figure needs it. <code>" + BENCH_COMMAND + "</code> (the default profile) measures it.</p>", null, null,
                benchSource(bench().get()), true);
    }

    static String date(String isoInstant) {
        return isoInstant == null || isoInstant.length() < 10 ? "date unknown" : isoInstant.substring(0, 10);
    }

    /** A table of figures by server: the first column names the server, the others are right-aligned figures. */
    static Table serverTable(String... headers) {
        Table.Column[] columns = new Table.Column[headers.length];
        for (int i = 0; i < headers.length; i++) {
            columns[i] = i == 0 ? Table.text(headers[i]) : Table.figure(headers[i]);
        }
        return new Table(columns);
    }

    static String micro(Double us) {
        return Unit.LATENCY.withSymbol(us);
    }
}
