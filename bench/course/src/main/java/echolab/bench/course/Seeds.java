package echolab.bench.course;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.CpuShare;
import echolab.bench.results.Figure;
import echolab.bench.results.Ladder;
import echolab.bench.results.Table;
import echolab.bench.results.Unit;
import echolab.bench.teaching.TeachingFile;

/**
 * seeds.html, "From the seeds": each Java teaching file beside the Python files it is the Java form of, one
 * block per Java server, aligned by numbered section as the side-by-side page is; the names that match across
 * the two languages (asyncore's {@code handle_accepted} and the dispatcher's {@code handleAccept()}, ...)
 * listed, found in the files and marked in the code; and each pair's figures from a committed run of the
 * Python peers and the four servers (a bench run and a scale run) side by side.
 */
public final class Seeds {

    /**
     * A name in a Python file and its counterpart in the Java twin, each the first line of its section that
     * holds the text; a text no longer in its section fails the course, as a lesson's quote does.
     */
    record Match(int pythonSection, String pythonText, int javaSection, String javaText, String says) {
    }

    /** What matches what, per Python file. Each Python file's Java twin is the catalogue's. */
    static final Map<String, List<Match>> MATCHES = Map.of(
            "py-blocking", List.of(
                    new Match(2, "listener.accept()", 2, "listener.accept()", "accept() blocks until a client arrives"),
                    new Match(3, "connection.recv(", 3, "in.read(buffer)", "a blocking read: b\"\" or -1 at the half-close"),
                    new Match(3, "connection.sendall(", 3, "out.write(buffer", "a blocking write: the backpressure")),
            "py-threads", List.of(
                    new Match(2, "threading.Thread(", 2, "Thread.ofPlatform()", "a thread of the OS per connection"),
                    new Match(3, "connection.recv(", 3, "in.read(buffer)", "a blocking read on that thread"),
                    new Match(3, "connection.sendall(", 3, "out.write(buffer", "a blocking write on that thread")),
            "py-asyncore", List.of(
                    new Match(2, "poll(acceptor", 2, "selector.select(", "the loop: asyncore's socket map polled, the selector's keys selected"),
                    new Match(2, "def handle_accepted", 2, "void handleAccept()", "the acceptor's callback"),
                    new Match(3, "def readable", 3, "boolean readable()", "asked before every poll: read only while nothing waits"),
                    new Match(3, "def writable", 3, "boolean writable()", "asked before every poll: write while something waits"),
                    new Match(3, "def handle_read", 3, "void handleRead()", "the read callback"),
                    new Match(3, "def handle_write", 3, "void handleWrite()", "the write callback"),
                    new Match(4, "def handle_error", 4, "void handleError(", "any exception of a callback, for its own connection")),
            "py-asyncio-protocol", List.of(
                    new Match(3, "def data_received", 3, "void handleRead()", "the read callback: bytes in, written straight back"),
                    new Match(3, "pause_reading()", 3, "boolean readable()", "no reading while output waits")),
            "py-asyncio", List.of(
                    new Match(1, "serve_one(connections, reader, writer)", 2, "Thread.ofVirtual()",
                            "a coroutine per connection, a virtual thread per connection"),
                    new Match(3, "await reader.read(", 3, "in.read(buffer)", "a read that waits without holding a thread of the OS"),
                    new Match(3, "await writer.drain()", 3, "out.write(buffer", "the wait that is the backpressure")),
            "py-gevent", List.of(
                    new Match(2, "gevent.spawn(", 2, "Thread.ofVirtual()", "a greenlet per connection, a virtual thread per connection"),
                    new Match(3, "connection.recv(", 3, "in.read(buffer)", "blocking-style code that yields to the loop"),
                    new Match(3, "connection.sendall(", 3, "out.write(buffer", "a write that waits by switching")));

    private Seeds() {
    }

    static String page(CourseData data, String generatedFrom) {
        StringBuilder s = new StringBuilder("<header class=\"intro\"><h1>From the seeds: the Python beside the Java</h1>\n");
        s.append("<p>echo-lab's four servers are the Java forms of what Python programmers learn first: the plain socket loop, a "
                + "thread per connection, asyncore's dispatcher, and the coroutine echo. Each block below sets a Java server beside "
                + "the Python files it is the form of, one row per numbered section; <span class=\"key twin\">marked</span> lines "
                + "are the names that match across the two (listed above each block). The figures were measured in one run, "
                + "the Python and the Java under the same load. " + generatedFrom + "</p>\n");
        s.append("<nav class=\"pairs\">");
        for (ServerCatalogue.Teaching java : ServerCatalogue.teaching()) {
            s.append(String.format("<a href=\"#pair-%s\">%s</a> ", java.name(), Html.escape(java.name() + " ← " + String.join(", ",
                    ServerCatalogue.names(twins(java.name()))))));
        }
        s.append("</nav>\n</header>\n");
        for (ServerCatalogue.Teaching java : ServerCatalogue.teaching()) {
            s.append(block(data, data.file(java.name()), twins(java.name()).stream()
                    .filter(ServerCatalogue.PythonPeer::ownFile).map(p -> data.pythonFiles().get(p.name())).toList()));
        }
        return s.toString();
    }

    /** The Python peers whose Java twin is {@code java}, in the catalogue's order, variants included. */
    static List<ServerCatalogue.PythonPeer> twins(String java) {
        return ServerCatalogue.python().stream().filter(p -> p.twin().equals(java)).toList();
    }

    private static String block(CourseData data, TeachingFile java, List<TeachingFile> pythons) {
        List<TeachingFile> columns = new ArrayList<>();
        columns.add(java);
        columns.addAll(pythons);
        Map<String, Set<Integer>> marked = new LinkedHashMap<>();
        columns.forEach(f -> marked.put(f.server(), new HashSet<>()));
        StringBuilder matches = new StringBuilder("<table class=\"matches\"><thead><tr><th>Python</th><th>Java</th><th>what it is</th>"
                + "</tr></thead><tbody>\n");
        for (TeachingFile py : pythons) {
            for (Match m : MATCHES.getOrDefault(py.server(), List.of())) {
                int pyLine = find(py, m.pythonSection(), m.pythonText());
                int javaLine = find(java, m.javaSection(), m.javaText());
                marked.get(py.server()).add(pyLine);
                marked.get(java.server()).add(javaLine);
                matches.append(String.format("<tr><td><code>%s</code> <a href=\"#s%d-%s\">%s §%d, line %d</a></td>"
                                + "<td><code>%s</code> <a href=\"#s%d-%s\">%s §%d, line %d</a></td><td>%s</td></tr>%n",
                        Html.escape(m.pythonText()), m.pythonSection(), py.server(), Html.escape(py.fileName()), m.pythonSection(), pyLine,
                        Html.escape(m.javaText()), m.javaSection(), java.server(), Html.escape(java.fileName()), m.javaSection(), javaLine,
                        Html.escape(m.says())));
            }
        }
        matches.append("</tbody></table>\n");
        StringBuilder s = new StringBuilder(String.format("<section class=\"pair\" id=\"pair-%s\">%n<h2>%s and %s</h2>%n", java.server(),
                Html.escape(java.server()), Html.escape(String.join(", ", ServerCatalogue.names(twins(java.server()))))));
        s.append(figures(data, java.server()));
        s.append(matches);
        s.append(SideBySide.grid(columns, f -> "<h3>" + Html.escape(f.server()) + "</h3>", 4,
                f -> n -> marked.get(f.server()).contains(n) ? " twin" : ""));
        return s.append("</section>\n").toString();
    }

    private static int find(TeachingFile f, int section, String text) {
        try {
            return f.find(section, text);
        } catch (IllegalArgumentException e) {
            throw Lessons.LessonError.onPage("seeds.html", e.getMessage());
        }
    }

    /** The pair's figures, or what would measure them. */
    private static String figures(CourseData data, String java) {
        if (data.python().isEmpty()) {
            return "<figure class=\"figure missing\"><p>No run of the Python peers was found under results/, so their figures "
                    + "cannot be shown. Produce one with <code>" + BENCH_COMMAND + "</code> and <code>" + SCALE_COMMAND + "</code>.</p></figure>\n";
        }
        CourseData.Run bench = data.python().get();
        List<String> sources = new ArrayList<>(List.of(Figures.source(data, "Bench run", bench.run(), bench.dir())));
        data.pythonScale().ifPresentOrElse(r -> sources.add(Figures.source(data, "Scale run", r.run(), r.dir())),
                () -> sources.add("No scale run of the Python peers: where each stopped is missing. Produce one with <code>"
                        + SCALE_COMMAND + "</code>."));
        return "<figure class=\"figure\"><p>" + Html.escape(whatTheFiguresAre(bench.run())) + "</p>"
                + table(bench.run(), data.pythonScale().map(CourseData.Run::run), java).html()
                + "<figcaption class=\"source\">" + String.join("<br>", sources) + "</figcaption></figure>\n";
    }

    /** What the table's columns were measured at, in one sentence. */
    static String whatTheFiguresAre(BenchRun bench) {
        CpuShare held = bench.settings().heldTo();
        return "msg/s and CPU per message: 100 connections × 64 B, the median of " + bench.settings().rounds() + " rounds"
                + (held == null ? "" : ", each server held to " + held.percent() + "% of a CPU so that the server, not the load "
                + "generator, sets the rate") + "; RSS and threads per connection: " + bench.settings().idleConnections()
                + " idle connections; system calls per message: counted with perf; the ladder: the most connections held with every "
                + "one answering, and what stopped the next step.";
    }

    /** The commands that measure the Python peers beside the four servers. */
    static final String BENCH_COMMAND = "./echolab bench --only python,sync,thread-per-conn,selector,virtual-thread";
    static final String SCALE_COMMAND = "./echolab scale --only python,sync,thread-per-conn,selector,virtual-thread";

    /**
     * The figures of the Java server {@code java} and of its Python twins, side by side: throughput and CPU per
     * message at the reference point (CPU also as a multiple of the Java server's), memory and threads per
     * idle connection, system calls per message (from {@code bench}), and the ladder's highest step held and
     * what stopped it (from {@code scale}). A server a run did not measure has empty cells.
     */
    public static Table table(BenchRun bench, Optional<BenchRun> scale, String java) {
        Table t = new Table(Table.text("server"), Table.figure("msg/s"), Table.figure("CPU µs/msg"), Table.figure("CPU × " + java),
                Table.figure("RSS per idle conn"), Table.figure("threads per idle conn"), Table.figure("syscalls/msg"),
                Table.figure("highest step held"), Table.text("stopped by"));
        Double javaCpu = Figure.CPU_PER_MESSAGE.of(bench, java);
        List<String> servers = new ArrayList<>(List.of(java));
        servers.addAll(ServerCatalogue.names(twins(java)));
        for (String server : servers) {
            Double cpu = Figure.CPU_PER_MESSAGE.of(bench, server);
            Optional<Ladder.ServerLadder> ladder = scale.flatMap(r -> r.kind() instanceof BenchRun.Scale s ? s.ladder().of(server)
                    : Optional.empty());
            t.row(server, Figure.THROUGHPUT.format(Figure.THROUGHPUT.of(bench, server)), Figure.CPU_PER_MESSAGE.format(cpu),
                    cpu == null || javaCpu == null || javaCpu == 0 ? "" : String.format("%.2f", cpu / javaCpu),
                    Unit.KIB.withSymbol(Figure.RSS_PER_IDLE_CONNECTION.of(bench, server)),
                    Figure.THREADS_PER_IDLE_CONNECTION.format(Figure.THREADS_PER_IDLE_CONNECTION.of(bench, server)),
                    Figure.CALLS_ALL.format(Figure.CALLS_ALL.of(bench, server)),
                    ladder.map(l -> String.format("%,d", l.highestStepHeld())).orElse(""),
                    ladder.map(l -> l.stop().limit().label + (l.stop().limit() == Ladder.Limit.NONE ? ""
                            : String.format(" at %,d", l.stop().atStep()))).orElse(""));
        }
        return t;
    }
}
