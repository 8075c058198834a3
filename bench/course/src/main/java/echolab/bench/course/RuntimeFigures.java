package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import echolab.bench.results.BenchRun;
import echolab.bench.results.Figure;
import echolab.bench.results.Format;
import echolab.bench.results.Scenario.Kind;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;

/**
 * The lessons' figures of what a model costs below its own code: the system calls it makes per message
 * beside the native epoll and io_uring echoes (the kernel's count, from a bench run's syscalls scenario), what
 * a virtual-thread server's scheduler did (its JFR recording), and what the JDK's switches for virtual
 * threads change (a bench run of the variants). Where a run is missing, the figure names the command.
 */
record RuntimeFigures(CourseData data, Path figuresDir) {

    static final String VARIANTS_COMMAND = "./echolab bench --only virtual-thread,virtual-thread+pollerMode=1,"
            + "virtual-thread+pollerMode=3,virtual-thread+carriers=1";

    /** System calls per message of every server the run counted, with CPU per message, {@code highlight} first in words. */
    PageFigure systemCalls(String highlight) throws IOException {
        String id = "system-calls-" + highlight;
        String title = "System calls per message, counted by the kernel, beside CPU per message (100 connections x 64 B)";
        Optional<BenchRun> run = data.bench().filter(r -> r.scenario(Kind.SYSCALLS).isPresent());
        if (run.isEmpty()) {
            return ScaleFigures.missing(id, title, Figures.BENCH_COMMAND, "about five minutes; the counts need Linux's perf, as root");
        }
        BenchRun r = run.get();
        List<Figure> calls = SummaryMarkdown.SYSTEM_CALLS;
        List<String> headers = new ArrayList<>(List.of("server", Figure.CPU_PER_MESSAGE.label, "CPU vs io_uring"));
        calls.forEach(f -> headers.add(f.label));
        var rows = Figures.serverTable(headers.toArray(String[]::new));
        List<CourseChart.Bar> bars = new ArrayList<>();
        Double uringCpu = Figure.CPU_PER_MESSAGE.of(r, "native-uring");
        for (BenchRun.ServerEntry s : r.servers()) {
            Double all = Figure.CALLS_ALL.of(r, s.name());
            if (all == null) {
                continue;
            }
            Double cpu = Figure.CPU_PER_MESSAGE.of(r, s.name());
            List<Object> cells = new ArrayList<>(List.of(s.name(), Figure.CPU_PER_MESSAGE.format(cpu),
                    Format.ratio(cpu == null ? 0 : cpu, uringCpu)));
            calls.forEach(f -> cells.add(f.format(f.of(r, s.name()))));
            rows.row(cells.toArray());
            bars.add(new CourseChart.Bar(s.name(), all, s.name().equals(highlight)));
        }
        String chart = CourseChart.bars(figuresDir, id, "System calls per message", "calls per message", bars, false);
        return new PageFigure(id, title, headline(r, highlight) + rows.html(), chart,
                "bar chart: system calls per message per server", Figures.source(data, "Bench run", r, data.benchDir()), false);
    }

    private static String headline(BenchRun r, String server) {
        Trial.SystemCalls mine = calls(r, server);
        Trial.SystemCalls epoll = calls(r, "native");
        Trial.SystemCalls uring = calls(r, "native-uring");
        if (mine == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format("<p class=\"headline\">%s makes <strong>%.2f system calls per echo</strong>: "
                + "%.2f reads, %.2f writes, %.2f epoll waits", server, mine.all(), mine.reads(), mine.writes(), mine.epollWaits()));
        if (mine.epollCtls() >= 0.05) {
            s.append(String.format(" and <strong>%.2f epoll_ctl</strong> (its socket registered with the poller again, each time "
                    + "its thread waits)", mine.epollCtls()));
        }
        if (mine.futexes() >= 0.05) {
            s.append(String.format(" and %.2f futex calls (one thread waking another)", mine.futexes()));
        }
        s.append('.');
        if (epoll != null && !server.equals("native")) {
            s.append(String.format(" The native epoll echo, the same loop in C, makes %.2f.", epoll.all()));
        }
        Double cpu = Figure.CPU_PER_MESSAGE.of(r, server);
        Double uringCpu = Figure.CPU_PER_MESSAGE.of(r, "native-uring");
        if (uring != null && uring.ioUringEnters() > 0) {
            s.append(String.format(" The io_uring echo makes <strong>%.2f</strong>: its reads and writes are entries in a ring the "
                    + "kernel shares with it, and one io_uring_enter submits a loop turn's work for about %.0f messages at once.",
                    uring.all(), 1 / uring.ioUringEnters()));
            if (cpu != null && uringCpu != null) {
                s.append(String.format(" Each system call costs a crossing into the kernel and back; %s spends %s µs of CPU per message, "
                        + "the io_uring echo %s (%s).", server, Figure.CPU_PER_MESSAGE.format(cpu), Figure.CPU_PER_MESSAGE.format(uringCpu),
                        Format.ratio(cpu, uringCpu)));
            }
        }
        return s.append("</p>").toString();
    }

    /** The parallelism both ran with, when a variant that sets it ran with the default's; null when it differed or is unknown. */
    private static Integer sameParallelism(BenchRun r, String server, String variant) {
        Integer mine = parallelism(r, server);
        return mine != null && mine.equals(parallelism(r, variant)) ? mine : null;
    }

    private static Integer parallelism(BenchRun r, String server) {
        return r.medianReference(server).map(Trial::serverStats).map(Trial.ServerStats::virtualThreads)
                .filter(v -> v.schedulerReadings() > 0).map(Trial.VirtualThreads::parallelism).orElse(null);
    }

    private static Trial.SystemCalls calls(BenchRun r, String server) {
        return r.trial(Kind.SYSCALLS, server).map(Trial::serverStats).map(Trial.ServerStats::systemCalls).orElse(null);
    }

    /** What the virtual-thread scheduler did while the server echoed: carriers, mounted and queued threads, pinning. */
    PageFigure virtualThreads(String highlight) throws IOException {
        String id = "virtual-threads-" + highlight;
        String title = "The virtual-thread scheduler while it echoed (JDK Flight Recorder)";
        Optional<BenchRun> run = data.bench().filter(r -> Figure.VT_CARRIERS.of(r, highlight) != null);
        if (run.isEmpty()) {
            return ScaleFigures.missing(id, title, Figures.BENCH_COMMAND, "about five minutes");
        }
        BenchRun r = run.get();
        List<Figure> figures = List.of(Figure.VT_PINNED, Figure.VT_SUBMIT_FAILED, Figure.VT_CARRIERS, Figure.VT_MOUNTED,
                Figure.VT_QUEUED, Figure.VT_QUEUED_OPEN);
        List<String> headers = new ArrayList<>(List.of("server"));
        figures.forEach(f -> headers.add(f.label));
        var rows = Figures.serverTable(headers.toArray(String[]::new));
        for (BenchRun.ServerEntry s : r.servers()) {
            if (Figure.VT_CARRIERS.of(r, s.name()) != null) {
                List<Object> cells = new ArrayList<>(List.of(s.name()));
                figures.forEach(f -> cells.add(f.format(f.of(r, s.name()))));
                rows.row(cells.toArray());
            }
        }
        String headline = String.format("<p class=\"headline\">With 100 connections echoing as fast as the generator sends, %s "
                        + "ran on <strong>%s carrier thread(s)</strong> (the cores it may use), with %s virtual threads mounted and "
                        + "<strong>%s queued</strong> for a carrier on average; at the open loop's fixed rate, %s queued. "
                        + "Pinned waits: %s, submit failures: %s.</p>", highlight, Figure.VT_CARRIERS.format(Figure.VT_CARRIERS.of(r, highlight)),
                Figure.VT_MOUNTED.format(Figure.VT_MOUNTED.of(r, highlight)), Figure.VT_QUEUED.format(Figure.VT_QUEUED.of(r, highlight)),
                Figure.VT_QUEUED_OPEN.format(Figure.VT_QUEUED_OPEN.of(r, highlight)),
                Figure.VT_PINNED.format(Figure.VT_PINNED.of(r, highlight)), Figure.VT_SUBMIT_FAILED.format(Figure.VT_SUBMIT_FAILED.of(r, highlight)));
        return new PageFigure(id, title, headline + rows.html(), null, null, Figures.source(data, "Bench run", r, data.benchDir()), false);
    }

    /** The virtual-thread server beside its variants (poller modes, one carrier): throughput, CPU, latency, calls. */
    PageFigure pollerModes(String highlight) throws IOException {
        String id = "poller-modes-" + highlight;
        String title = "What the JDK's switches for virtual threads change";
        if (data.variants().isEmpty()) {
            return ScaleFigures.missing(id, title, VARIANTS_COMMAND, "about two minutes");
        }
        BenchRun r = data.variants().get();
        var rows = Figures.serverTable("server", "JVM switch", Figure.THROUGHPUT.label, Figure.CPU_PER_MESSAGE.label,
                Figure.OPEN_P99.label, Figure.CALLS_ALL.label, Figure.CALLS_EPOLL_CTLS.label, Figure.CALLS_FUTEXES.label,
                Figure.VT_QUEUED.label, "note");
        List<CourseChart.Bar> bars = new ArrayList<>();
        for (BenchRun.ServerEntry s : r.servers()) {
            if (!s.name().equals(highlight) && !s.name().startsWith(highlight + "+")) {
                continue;
            }
            String flag = s.command().stream().filter(a -> a.startsWith("-Djdk.")).findFirst().orElse("(none: the default)");
            Double cpu = Figure.CPU_PER_MESSAGE.of(r, s.name());
            if (cpu != null) {
                bars.add(new CourseChart.Bar(s.name(), cpu, s.name().equals(highlight)));
            }
            rows.row(s.name(), flag, Figure.THROUGHPUT.format(Figure.THROUGHPUT.of(r, s.name())), Figure.CPU_PER_MESSAGE.format(cpu),
                    Figure.OPEN_P99.format(Figure.OPEN_P99.of(r, s.name())), Figure.CALLS_ALL.format(Figure.CALLS_ALL.of(r, s.name())),
                    Figure.CALLS_EPOLL_CTLS.format(Figure.CALLS_EPOLL_CTLS.of(r, s.name())),
                    Figure.CALLS_FUTEXES.format(Figure.CALLS_FUTEXES.of(r, s.name())),
                    Figure.VT_QUEUED.format(Figure.VT_QUEUED.of(r, s.name())), s.skipped() == null ? "" : "skipped: " + s.skipped());
        }
        String chart = bars.isEmpty() ? null : CourseChart.bars(figuresDir, id, "Server CPU per message", "µs per message", bars, false);
        return new PageFigure(id, title, modesHeadline(r, highlight) + rows.html(), chart,
                "bar chart: server CPU per message, the default and each variant", Figures.source(data, "Bench run", r, data.variantsDir()),
                false);
    }

    private static String modesHeadline(BenchRun r, String server) {
        Double tput = Figure.THROUGHPUT.of(r, server);
        Double cpu = Figure.CPU_PER_MESSAGE.of(r, server);
        Double p99 = Figure.OPEN_P99.of(r, server);
        if (tput == null || cpu == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("<p class=\"headline\">");
        for (BenchRun.ServerEntry v : r.servers()) {
            if (!v.name().startsWith(server + "+")) {
                continue;
            }
            String setting = v.name().substring(server.length() + 1);
            Double vt = Figure.THROUGHPUT.of(r, v.name());
            Double vc = Figure.CPU_PER_MESSAGE.of(r, v.name());
            Integer same = v.command().stream().anyMatch(a -> a.startsWith("-Djdk.virtualThreadScheduler.parallelism="))
                    ? sameParallelism(r, server, v.name()) : null;
            if (v.skipped() != null) {
                s.append(String.format("%s: not run, %s. ", Html.escape(setting), Html.escape(v.skipped())));
            } else if (same != null) {
                s.append(String.format("%s: <strong>the default's own setting here</strong> (the server's CPU set gives its scheduler %d "
                        + "carrier%s either way): the same server measured twice, so its %s the throughput and %s the CPU per "
                        + "message show how far this run's noise goes. ",
                        Html.escape(setting), same, same == 1 ? "" : "s", Format.ratio(vt == null ? 0 : vt, tput),
                        Format.ratio(vc == null ? 0 : vc, cpu)));
            } else if (vt != null && vc != null) {
                s.append(String.format("%s: <strong>%s the throughput</strong> at %s the CPU per message", Html.escape(setting),
                        Format.ratio(vt, tput), Format.ratio(vc, cpu)));
                Double vp = Figure.OPEN_P99.of(r, v.name());
                if (vp != null && p99 != null) {
                    s.append(String.format(", open-loop p99 %s µs against %s", Figure.OPEN_P99.format(vp), Figure.OPEN_P99.format(p99)));
                }
                s.append(". ");
            }
        }
        return s.append("Ratios to the default, measured in the same run.</p>").toString();
    }
}
