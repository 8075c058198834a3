package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.BenchRun.ServerEntry;
import echolab.bench.results.Ladder.Projection;
import echolab.bench.results.Ladder.ServerLadder;

import static echolab.bench.results.Format.micros;
import static echolab.bench.results.Format.number;
import static echolab.bench.results.Table.figure;
import static echolab.bench.results.Table.text;

/** summary.md and the charts of a connection-ladder run ({@code ./echolab scale}), rendered from its {@link BenchRun} alone. */
public final class LadderReport {

    private LadderReport() {
    }

    /** Per server: how far it went, what stopped it, and its costs per connection at the highest step it held. */
    public static String mainTable(BenchRun r, Ladder ladder) {
        Table table = new Table(text("server"), figure("highest step held"), figure("most held"), text("stopped by"),
                figure("RSS per conn"), figure("heap per conn"), figure("threads per conn"), figure("kernel per conn (both ends)"),
                figure("idle CPU"), figure("one active p99"), figure("all active p99"), figure("ceiling on paper: " + firstMachine(ladder)));
        for (ServerEntry server : r.servers()) {
            Optional<ServerLadder> l = ladder.of(server.name());
            if (l.isEmpty()) {
                table.row(server.name(), null, null, server.skipped() == null ? "not measured" : "skipped: " + server.skipped(),
                        null, null, null, null, null, null, null, null);
                continue;
            }
            Optional<Trial> top = r.ladderTop(server.name());     // none held: no cost per connection to show
            Optional<Trial.LadderStats> s = top.flatMap(Trial::step);
            table.row(server.name(), String.format("%,d", l.get().highestStepHeld()), String.format("%,d", l.get().mostHeld()),
                    l.get().stop().limit().label, s.map(x -> number(x.rssPerConnectionKiB(), "%.1f KiB")).orElse(""),
                    s.map(x -> number(x.heapPerConnectionKiB(), "%.1f KiB")).orElse(""),
                    s.map(x -> number(x.threadsPerConnection(), "%.3f")).orElse(""),
                    s.map(x -> number(x.kernelSlabPerConnectionKiB(), "%.1f KiB")).orElse(""),
                    s.map(x -> number(x.idleCpuPercent(), "%.1f%%")).orElse(""),
                    micros(top.map(t -> t.latency(Percentile.P99)).orElse(null)),
                    micros(s.map(x -> x.active().latencyMicros().at(Percentile.P99)).orElse(null)),
                    l.get().projections().stream().findFirst().map(p -> count(p.connections()) + " (" + p.binding().label + ")").orElse(""));
        }
        return "Connection ladder: highest step each server held (every connection opened, accepted and answering), "
                + "its costs per connection there, and the projection of its ceiling on a larger machine (on paper, from "
                + "those costs; see the summary)\n\n" + table.markdown();
    }

    public static String render(BenchRun r, Ladder ladder) {
        StringBuilder s = new StringBuilder();
        s.append("# echo-lab scale: ").append(r.run().id()).append("\n\n");
        s.append(r.environment().oneLine()).append(".\n\n");
        if (!r.run().complete()) {
            s.append("**This run did not finish**: the tables hold what it measured before it stopped.\n\n");
        }
        s.append(mainTable(r, ladder)).append('\n');
        Ladder.Limits m = ladder.limits();
        s.append(String.format("Limits read from this machine: servers ran under %,d descriptors (soft and hard; fs.nr_open %,d); "
                        + "kernel.pid_max %,d, kernel.threads-max %,d, vm.max_map_count %,d; %,d MiB of memory (%,d MiB available at the "
                        + "start), steps refused that would leave less than %,d MiB; clients' ephemeral ports %d-%d per source "
                        + "address; net.core.somaxconn %,d. With every connection active, each sent a 64-byte message every %s s "
                        + "for %s s; \"one active\" is one more connection measured alone in a closed loop while the others are held.%n%n",
                m.nofileSoft(), m.nrOpen(), m.pidMax(), m.threadsMax(), m.maxMapCount(), m.memTotalKiB() / 1024, m.memAvailableKiB() / 1024,
                ladder.settings().memoryReserveMiB(), m.portLow(), m.portHigh(), m.somaxconn(),
                number(ladder.settings().activePeriodSeconds(), "%.1f"), number(ladder.settings().activeSeconds(), "%.1f")));
        s.append("![RSS](ladder-rss.png) ![p99 with all active](ladder-p99.png)\n\n");
        s.append("## What stopped each server\n\n");
        for (ServerLadder l : ladder.servers()) {
            s.append(String.format("- **%s**, at %,d: %s: %s.%s%n", l.server(), l.stop().atStep(), l.stop().limit().label, l.stop().why(),
                    l.stop().lift() == null ? "" : " To lift it: " + l.stop().lift() + "."));
        }
        steps(s, r);
        projections(s, ladder);
        s.append("\nReproduce: `").append(r.run().command()).append("`\n");
        return s.toString();
    }

    private static void steps(StringBuilder s, BenchRun r) {
        s.append("\n## Every step\n\n");
        s.append("Per connection: growth since the server started, over the connections it accepted. Kernel: the slab "
                + "caches of sockets, their inodes, files and epoll entries (/proc/slabinfo, machine-wide: both ends of each "
                + "connection); TCP buffers from /proc/net/sockstat. Unanswered: messages "
                + "with every connection active that had no echo 2 s after the last was due.\n\n");
        Table table = new Table(text("server"), figure("step"), figure("opened"), figure("accepted"), figure("answering"),
                figure("open s"), figure("RSS MiB"), figure("RSS KiB/conn"), figure("heap KiB/conn"), figure("threads"), figure("maps"),
                figure("kernel KiB/conn"), figure("TCP buffers KiB"), figure("idle CPU %"), figure("one p50"), figure("one p99"),
                figure("all msg/s"), figure("all p50"), figure("all p99"), figure("unanswered"), text("status"));
        for (ServerEntry server : r.servers()) {
            for (Scenario sc : r.scenarios()) {
                for (Trial t : sc.trials()) {
                    Trial.LadderStats l = t.step().orElse(null);
                    if (!t.server().equals(server.name()) || l == null) {
                        continue;
                    }
                    table.row(t.server(), String.format("%,d", l.requested()), String.format("%,d", l.opened()),
                            String.format("%,d", l.accepted()), number(l.answering(), "%,.0f"), String.format("%.1f", l.openSeconds()),
                            String.format("%.0f", l.rssKiB() / 1024.0), number(l.rssPerConnectionKiB(), "%.2f"),
                            number(l.heapPerConnectionKiB(), "%.2f"), l.threads(), l.maps(), number(l.kernelSlabPerConnectionKiB(), "%.2f"),
                            l.socketBuffersKiB(), number(l.idleCpuPercent(), "%.1f"), micros(t.latency(Percentile.P50)),
                            micros(t.latency(Percentile.P99)), String.format("%,.0f", l.active().messagesPerSecond()),
                            micros(l.active().latencyMicros().at(Percentile.P50)), micros(l.active().latencyMicros().at(Percentile.P99)),
                            l.active().unanswered(), t.status() == Trial.Status.OK ? "held" : "not held"
                                    + (l.active().clientsBusiest() > 0.9 ? " (clients saturated)" : ""));
                }
            }
        }
        s.append(table.markdown());
    }

    private static void projections(StringBuilder s, Ladder ladder) {
        s.append("\n## Beyond this machine, on paper\n\n");
        s.append("**Projections, not measurements.** Costs per connection are least-squares slopes over the start and every "
                + "step held (± one standard error); a ceiling is the first limit those costs reach on the machine named, the "
                + "range from the costs ± two standard errors. The memory ceiling counts the server's RSS and half the kernel's "
                + "slab per connection (its end), and leaves 4 GiB to the system. For comparison, project-loom-c5m reported "
                + "holding 5,000,000 connections with virtual threads at 4.6 to 6.4 KB each (measured there, not here).\n\n");
        List<Table.Column> columns = new ArrayList<>(List.of(text("server"), figure("RSS KiB/conn"), figure("heap KiB/conn"),
                figure("threads/conn"), figure("maps/conn"), figure("kernel KiB/conn")));
        List<String> machines = ladder.servers().stream().flatMap(l -> l.projections().stream()).map(Projection::machine).distinct().toList();
        for (String machine : machines) {
            columns.add(figure(machine));
        }
        Table table = new Table(columns.toArray(Table.Column[]::new));
        List<String> hows = new ArrayList<>();
        for (ServerLadder l : ladder.servers()) {
            List<Object> cells = new ArrayList<>(List.of(l.server()));
            Ladder.Costs c = l.costs();
            cells.add(c == null ? "" : fit(c.rssKiB(), "%.2f"));
            cells.add(c == null || c.heapKiB() == null ? "" : fit(c.heapKiB(), "%.2f"));
            cells.add(c == null ? "" : fit(c.threads(), "%.3f"));
            cells.add(c == null ? "" : fit(c.maps(), "%.2f"));
            cells.add(c == null ? "" : fit(c.kernelSlabKiB(), "%.2f"));
            for (String machine : machines) {
                Optional<Projection> p = l.projections().stream().filter(x -> x.machine().equals(machine)).findFirst();
                cells.add(p.map(x -> String.format("%s (%s to %s), %s", count(x.connections()), count(x.low()), count(x.high()),
                        x.binding().label)).orElse("no step held"));
                p.ifPresent(x -> hows.add(String.format("- %s, %s: %s", l.server(), machine, x.how())));
            }
            table.row(cells.toArray());
        }
        s.append(table.markdown()).append("\nHow each ceiling was computed:\n\n").append(String.join("\n", hows)).append('\n');
    }

    /** The first machine projected onto, as a column names it: "64 GiB". */
    private static String firstMachine(Ladder ladder) {
        String m = ladder.servers().stream().flatMap(l -> l.projections().stream()).map(Projection::machine).findFirst().orElse("");
        return m.contains(",") ? m.substring(0, m.indexOf(',')) : m;
    }

    private static String fit(Ladder.Fit f, String format) {
        String v = String.format(format, f.perConnection());
        return f.standardError() == null ? v : v + " ± " + String.format(format, f.standardError());
    }

    private static String count(long n) {
        if (n == Long.MAX_VALUE) {
            return "unbounded";
        }
        return n >= 10_000_000 ? String.format("%,.0fM", n / 1e6) : n >= 10_000 ? String.format("%,.0fk", n / 1e3) : String.format("%,d", n);
    }

    /** ladder-rss and ladder-p99, PNG and SVG. */
    public static void draw(Path dir, BenchRun r) throws IOException {
        Charts.save(dir, "ladder-rss", chart(r, "Server RSS against connections held", "RSS (MiB)",
                l -> l.rssKiB() / 1024.0));
        Charts.save(dir, "ladder-p99", chart(r, "p99 latency with every connection active", "p99 (us, from the planned send)",
                l -> l.active().latencyMicros().count() == 0 ? null : l.active().latencyMicros().p99()));
    }

    private static XYChart chart(BenchRun r, String title, String yTitle, Function<Trial.LadderStats, Double> value) {
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle("connections held (accepted by the server)").yAxisTitle(yTitle).build();
        Charts.style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        for (ServerEntry server : r.servers()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Scenario sc : r.scenarios()) {
                for (Trial t : sc.trials()) {
                    Trial.LadderStats l = t.step().orElse(null);
                    Double y = l == null || !t.server().equals(server.name()) || l.accepted() < 1 ? null : value.apply(l);
                    if (y != null && y > 0) {
                        xs.add((double) l.accepted());
                        ys.add(y);
                    }
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(server.name(), xs, ys);
            }
        }
        return chart;
    }
}
