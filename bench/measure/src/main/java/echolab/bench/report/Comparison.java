package echolab.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import echolab.bench.results.BenchRun;
import echolab.bench.results.Environment;
import echolab.bench.results.Figure;
import echolab.bench.results.Table;
import echolab.bench.results.Unit;

/**
 * Two bench runs side by side, the way asv compares: per server and figure, A, B and B/A, with the
 * range over rounds where there are rounds, a mark on each difference inside that noise, and the two
 * environments with a warning where they differ in what moves the numbers.
 */
final class Comparison {

    /** The figures compared, from the one catalogue. */
    private static final List<Figure> FIGURES = List.of(Figure.THROUGHPUT, Figure.P99, Figure.CPU_PER_MESSAGE, Figure.OPEN_P99,
            Figure.RSS_PER_IDLE_CONNECTION, Figure.THREADS_WITH_IDLE, Figure.LADDER_HELD, Figure.LADDER_RSS_PER_CONNECTION,
            Figure.LADDER_HEAP_PER_CONNECTION, Figure.RATE_AT_TARGET);

    /** One line of the comparison; {@code aLow..aHigh} is the range over rounds (equal to the value with one round). */
    record Row(String server, String figure, Unit unit, double a, double b, double aLow, double aHigh, double bLow, double bHigh,
               int aRounds, int bRounds, boolean higherIsBetter) {

        double ratio() {
            return b / a;
        }

        /** Both sides have rounds and their ranges overlap: the difference is inside the noise. */
        boolean insideNoise() {
            return aRounds > 1 && bRounds > 1 && aLow <= bHigh && bLow <= aHigh;
        }

        String verdict() {
            if (aRounds < 2 || bRounds < 2) {
                return "noise unknown (1 round)";
            }
            if (insideNoise()) {
                return "~ inside the noise";
            }
            boolean better = higherIsBetter ? b > a : b < a;
            return better ? "better" : "**worse**";
        }
    }

    private final BenchRun a;
    private final BenchRun b;

    Comparison(BenchRun a, BenchRun b) {
        this.a = a;
        this.b = b;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        a.servers().forEach(s -> servers.add(s.name()));
        b.servers().stream().map(BenchRun.ServerEntry::name).filter(n -> !servers.contains(n)).forEach(servers::add);
        for (String server : servers) {
            for (Figure f : FIGURES) {
                List<Double> va = f.rounds(a, server).stream().filter(v -> v > 0).toList();
                List<Double> vb = f.rounds(b, server).stream().filter(v -> v > 0).toList();
                if (va.isEmpty() || vb.isEmpty()) {
                    continue;
                }
                rows.add(new Row(server, f.label, f.unit, Figure.median(va), Figure.median(vb), min(va), max(va), min(vb), max(vb),
                        va.size(), vb.size(), f.higherIsBetter));
            }
        }
        return rows;
    }

    /** Where the two environments differ in something that moves the numbers. */
    List<String> warnings() {
        Environment ea = a.environment();
        Environment eb = b.environment();
        List<String> w = new ArrayList<>();
        if (ea.cores() != eb.cores()) {
            w.add("cores differ: " + ea.cores() + " vs " + eb.cores());
        }
        if (!ea.pinningText().equals(eb.pinningText())) {
            w.add("pinning differs: " + ea.pinningText() + " vs " + eb.pinningText());
        }
        if (!Objects.equals(ea.jdk(), eb.jdk())) {
            w.add("JDK differs: " + ea.jdk() + " vs " + eb.jdk());
        }
        if (!Objects.equals(ea.kernel(), eb.kernel())) {
            w.add("kernel differs: " + ea.kernel() + " vs " + eb.kernel());
        }
        if (!Objects.equals(a.run().profile(), b.run().profile())) {
            w.add("profile differs: " + a.run().profile() + " vs " + b.run().profile() + " (different durations and rounds)");
        }
        return w;
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("### echo-lab compare: A = %s, B = %s%n%n", a.run().id(), b.run().id()));
        for (String w : warnings()) {
            s.append("> **Warning:** ").append(w).append('\n');
        }
        if (!warnings().isEmpty()) {
            s.append('\n');
        }
        Table environments = new Table(Table.text(""), Table.text("A"), Table.text("B"));
        env(environments, "run", r -> r.run().id() + " (" + r.run().command() + ")");
        env(environments, "CPU", r -> r.environment().cpuModel());
        env(environments, "cores", r -> String.valueOf(r.environment().cores()));
        env(environments, "pinning", r -> r.environment().pinningText());
        env(environments, "JDK", r -> r.environment().jdk());
        env(environments, "kernel", r -> r.environment().kernel());
        env(environments, "commit", r -> r.environment().gitCommit() + (Boolean.TRUE.equals(r.environment().gitDirty()) ? " (dirty)" : ""));
        env(environments, "started", r -> r.run().startedAt());
        s.append(environments.markdown());
        s.append("\nB/A is B's value over A's. Closed-loop figures are the median of the reference point's interleaved "
                + "rounds, with the range over them; where the two ranges overlap, the difference is inside the noise "
                + "of these runs. Figures measured once have no range: their noise is unknown.\n\n");
        Table figures = new Table(Table.text("server"), Table.text("figure"), Table.figure("A"), Table.figure("B"), Table.figure("B/A"),
                Table.figure("A range"), Table.figure("B range"), Table.text(""));
        for (Row r : rows()) {
            figures.row(r.server(), r.figure(), r.unit().format(r.a()), r.unit().format(r.b()), String.format("%.2fx", r.ratio()),
                    range(r.unit(), r.aLow(), r.aHigh(), r.aRounds()), range(r.unit(), r.bLow(), r.bHigh(), r.bRounds()), r.verdict());
        }
        return s.append(figures.markdown()).toString();
    }

    private void env(Table table, String label, Function<BenchRun, String> value) {
        table.row(label, value.apply(a), value.apply(b));
    }

    /** B/A per server, one series per figure, with the 1.0 line as the eye's reference. */
    CategoryChart chart() {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
                .title("B / A: " + b.run().id() + " over " + a.run().id())
                .xAxisTitle("server").yAxisTitle("ratio B / A (log scale: 1 = no change, 0.5 and 2 equally far)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        List<Row> rows = rows();
        List<String> servers = rows.stream().map(Row::server).distinct().toList();
        for (Figure f : FIGURES) {
            List<Double> ratios = new ArrayList<>();
            for (String server : servers) {
                Optional<Row> row = rows.stream().filter(r -> r.server().equals(server) && r.figure().equals(f.label)).findFirst();
                ratios.add(row.map(Row::ratio).orElse(null));                // no bar where a server lacks the figure
            }
            if (ratios.stream().anyMatch(Objects::nonNull)) {
                chart.addSeries(f.label, servers, ratios);
            }
        }
        // XChart counts a missing value as 0 for the axis, which a log axis refuses: the range is the ratios'.
        double low = rows.stream().mapToDouble(Row::ratio).min().orElse(1);
        double high = rows.stream().mapToDouble(Row::ratio).max().orElse(1);
        chart.getStyler().setYAxisMin(Math.min(low, 1) / 1.25);
        chart.getStyler().setYAxisMax(Math.max(high, 1) * 1.25);
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no figure in common", List.of("none"), List.of(1.0));
        }
        return chart;
    }

    private static String range(Unit unit, double low, double high, int rounds) {
        return rounds < 2 ? "" : unit.format(low) + "-" + unit.format(high);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
