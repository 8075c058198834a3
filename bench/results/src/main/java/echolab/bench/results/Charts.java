package echolab.bench.results;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.BenchRun.ServerEntry;
import echolab.bench.results.Scenario.Kind;

/** The four charts of a bench run (a scale or capacity run has its own), each as PNG and SVG, drawn with XChart from a {@link BenchRun} alone. */
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private Charts() {
    }

    public static void draw(Path dir, BenchRun run) throws IOException {
        switch (run.kind()) {
            case BenchRun.Scale s -> {
                LadderReport.draw(dir, run);
                return;
            }
            case BenchRun.Capacity c -> {
                TargetReport.draw(dir, run, c.target());
                return;
            }
            case BenchRun.SideBySide b -> {
            }
        }
        save(dir, "throughput", sweep(run, "Closed loop, 64 B messages: throughput", "messages per second", Trial::throughput));
        save(dir, "p99", sweep(run, "Closed loop, 64 B messages: p99 latency", "p99 latency (us)", t -> t.latency(Percentile.P99)));
        save(dir, "spectrum", spectrum(run));
        save(dir, "rss-per-connection", rss(run));
    }

    private static XYChart sweep(BenchRun run, String title, String yTitle, Function<Trial, Double> value) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("connections").yAxisTitle(yTitle).build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        for (ServerEntry server : run.servers()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Scenario s : run.scenarios()) {
                if (s.kind() != Kind.CLOSED || s.size() != Scenario.REFERENCE_SIZE) {
                    continue;
                }
                for (Trial t : s.trials()) {
                    Double y = t.server().equals(server.name()) && t.round() == 1 && t.measured() ? value.apply(t) : null;
                    if (y != null && y > 0) {
                        xs.add((double) s.connections());
                        ys.add(y);
                    }
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(server.label(), xs, ys);
            }
        }
        return chart;
    }

    private static XYChart spectrum(BenchRun run) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Open loop at a fixed rate: latency by percentile (corrected)")
                .xAxisTitle("percentile (axis: 1 / (1 - p); 10 = p90, 100 = p99, 1000 = p99.9)").yAxisTitle("latency (us)").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (ServerEntry server : run.servers()) {
            run.trial(Kind.OPEN, server.name()).flatMap(Trial::spectrum).filter(spectrum -> !spectrum.isEmpty()).ifPresent(spectrum -> {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (double[] p : spectrum) {
                    if (p[1] > 0) {
                        xs.add(1 / (1 - Math.min(p[0], 99.999) / 100));
                        ys.add(p[1]);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(server.label(), xs, ys);
                }
            });
        }
        return chart;
    }

    private static CategoryChart rss(BenchRun run) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Memory per idle connection (server RSS growth / connections)")
                .xAxisTitle("server").yAxisTitle("KiB per idle connection").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (ServerEntry server : run.servers()) {
            run.trial(Kind.SCALE, server.name()).flatMap(Trial::idle).map(Trial.ScaleStats::rssPerIdleConnectionKiB).ifPresent(kib -> {
                names.add(server.label());
                values.add(Math.max(0, kib));
            });
        }
        if (names.isEmpty()) {
            names.add("no data");
            values.add(0.0);
        }
        chart.addSeries("KiB per idle connection", names, values);
        return chart;
    }

    static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
    }

    /** Writes NAME.png and NAME.svg into {@code dir}; an empty XY chart gets a "no data" point rather than failing. */
    public static void save(Path dir, String name, Chart<?, ?> chart) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (chart instanceof XYChart xy && xy.getSeriesMap().isEmpty()) {
            xy.addSeries("no data", new double[] {1}, new double[] {1});
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name + ".svg").toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
