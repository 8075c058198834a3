package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.BenchRun.ServerEntry;

import static echolab.bench.results.Format.micros;
import static echolab.bench.results.Table.figure;
import static echolab.bench.results.Table.text;

/**
 * summary.md and the chart of a run of {@code ./echolab capacity} (the rate under a latency target),
 * rendered from its {@link BenchRun} alone.
 */
public final class TargetReport {

    private TargetReport() {
    }

    /** The target in words: "p99 <= 1,000 us". */
    public static String goal(Target.Settings s) {
        return s.percentile().name().toLowerCase() + " <= " + micros(s.targetMicros()) + " us";
    }

    /** One server's answer in words. */
    public static String answerText(Target.Answer a) {
        if (a.rate() == null) {
            return "no rate: " + a.why();
        }
        return (a.generatorLimited() ? "at least " : "") + String.format("%,.0f msg/s", a.rate()) + (a.why() == null ? "" : " (" + a.why() + ")");
    }

    public static String mainTable(BenchRun r, Target target) {
        Target.Settings s = target.settings();
        Table table = new Table(text("server"), figure("highest rate meeting " + goal(s)), figure("p50"), figure("p99"), figure("p99.9"),
                figure("max"), figure("trials"), text("note"));
        for (ServerEntry server : r.servers()) {
            Optional<Target.Answer> a = target.of(server.name());
            if (a.isEmpty()) {
                table.row(server.name(), null, null, null, null, null, null, server.skipped() == null ? "not measured" : "skipped: " + server.skipped());
                continue;
            }
            LatencySummary l = a.get().latencyMicros();
            long trials = trials(r, server.name()).size();
            table.row(server.name(), a.get().rate() == null ? "none" : (a.get().generatorLimited() ? ">= " : "")
                            + String.format("%,.0f msg/s", a.get().rate()), micros(at(l, Percentile.P50)), micros(at(l, Percentile.P99)),
                    micros(at(l, Percentile.P999)), micros(at(l, Percentile.MAX)), trials, a.get().why() == null ? "" : a.get().why());
        }
        return String.format("Rate under a latency target: the highest open-loop rate each server sustained with %s (corrected "
                + "for coordinated omission), %d connections x %d B, confirmed by a second trial; latencies of that trial%n%n",
                goal(s), s.connections(), s.size()) + table.markdown();
    }

    public static String render(BenchRun r, Target target) {
        Target.Settings s = target.settings();
        StringBuilder out = new StringBuilder();
        out.append("# echo-lab capacity: ").append(r.run().id()).append("\n\n");
        out.append(r.environment().oneLine()).append(".\n\n");
        if (!r.run().complete()) {
            out.append("**This run did not finish**: the tables hold what it measured before it stopped.\n\n");
        }
        out.append(mainTable(r, target)).append('\n');
        out.append(String.format("Each trial: %s s warm-up, %s s measured, open loop (each message sent at its planned time, "
                        + "latency counted from then). The search doubles the rate from %,.0f msg/s while the target is met, bisects "
                        + "until the rates that met and missed are within %.0f%%, then measures the answer again. A trial meets the "
                        + "target when every message planned in its window was answered, every connection served, at least %.0f%% of "
                        + "the rate delivered and its %s at or under %s us.%n%n", Format.number(s.warmupSeconds(), "%.1f"),
                Format.number(s.durationSeconds(), "%.1f"), s.startRate(), s.precision() * 100, 97.0,
                s.percentile().name().toLowerCase(), micros(s.targetMicros())));
        out.append("![latency against rate](capacity-curve.png)\n\n## Every trial of every search\n\n");
        Table table = new Table(text("server"), figure("#"), text("phase"), figure("rate asked"), figure("delivered"), figure("p50"),
                figure("p99"), figure("p99.9"), figure("max"), text("met"), text("why not"));
        for (ServerEntry server : r.servers()) {
            for (Trial t : trials(r, server.name())) {
                Trial.SearchPoint p = t.point().orElseThrow();
                table.row(t.server(), t.round(), p.phase().label(), String.format("%,.0f", p.rate()), String.format("%,.0f", p.achievedRate()),
                        micros(t.latency(Percentile.P50)), micros(t.latency(Percentile.P99)), micros(t.latency(Percentile.P999)),
                        micros(t.latency(Percentile.MAX)), p.meets() ? "yes" : "no", p.why() == null ? "" : p.why());
            }
        }
        out.append(table.markdown());
        out.append("\nReproduce: `").append(r.run().command()).append("`\n");
        return out.toString();
    }

    /** capacity-curve: the target's percentile against the rate delivered, every trial of every server, with the target as a line. */
    public static void draw(Path dir, BenchRun r, Target target) throws IOException {
        Target.Settings s = target.settings();
        String p = s.percentile().name().toLowerCase();
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Latency against rate (" + p + ", corrected), " + s.connections() + " connections x " + s.size() + " B")
                .xAxisTitle("rate delivered (msg/s)").yAxisTitle(p + " latency (us)").build();
        Charts.style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double maxRate = 0;
        double minRate = Double.MAX_VALUE;
        for (ServerEntry server : r.servers()) {
            List<Trial> points = new ArrayList<>(trials(r, server.name()).stream()
                    .filter(t -> t.point().orElseThrow().achievedRate() > 0 && t.point().orElseThrow().latencyMicros() != null && t.point().orElseThrow().latencyMicros() > 0).toList());
            points.sort(Comparator.comparingDouble(t -> t.point().orElseThrow().achievedRate()));
            if (!points.isEmpty()) {
                chart.addSeries(server.name(), points.stream().map(t -> t.point().orElseThrow().achievedRate()).toList(),
                        points.stream().map(t -> t.point().orElseThrow().latencyMicros()).toList());
                maxRate = Math.max(maxRate, points.get(points.size() - 1).point().orElseThrow().achievedRate());
                minRate = Math.min(minRate, points.get(0).point().orElseThrow().achievedRate());
            }
        }
        if (maxRate > 0) {
            XYSeries line = chart.addSeries("target " + goal(s), List.of(minRate / 1.2, maxRate * 1.2), List.of(s.targetMicros(), s.targetMicros()));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(SeriesLines.DASH_DASH);
        }
        Charts.save(dir, "capacity-curve", chart);
    }

    private static List<Trial> trials(BenchRun r, String server) {
        return r.scenarios().stream().filter(sc -> sc.kind() == Scenario.Kind.TARGET).flatMap(sc -> sc.trials().stream())
                .filter(t -> t.server().equals(server) && t.point().isPresent()).toList();
    }

    private static Double at(LatencySummary l, Percentile p) {
        return l == null ? null : l.at(p);
    }
}
