package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The four charts of a bench run, each as PNG and SVG, drawn with XChart. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts() {
    }

    static void draw(Path dir, List<Map<String, Object>> scenarios, List<ServerSpec> servers) throws IOException {
        System.setProperty("java.awt.headless", "true");
        save(dir, "throughput", sweep(scenarios, servers, "Closed loop, 64 B messages: throughput",
                "messages per second", row -> Report.throughput(row)));
        save(dir, "p99", sweep(scenarios, servers, "Closed loop, 64 B messages: p99 latency",
                "p99 latency (us)", row -> Report.latency(row, "p99")));
        save(dir, "spectrum", spectrum(scenarios, servers));
        save(dir, "rss-per-connection", rss(scenarios, servers));
    }

    private static XYChart sweep(List<Map<String, Object>> scenarios, List<ServerSpec> servers, String title, String yTitle,
                                 java.util.function.Function<Map<String, Object>, Double> value) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("connections").yAxisTitle(yTitle).build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        for (ServerSpec spec : servers) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Map<String, Object> row : scenarios) {
                if (spec.name().equals(row.get("server")) && "closed".equals(row.get("scenario"))
                        && Integer.valueOf(1).equals(row.get("round"))
                        && Integer.valueOf(Profile.REFERENCE_SIZE).equals(row.get("size")) && !"failed".equals(row.get("status"))) {
                    Double y = value.apply(row);
                    if (y != null && y > 0) {
                        xs.add(((Integer) row.get("connections")).doubleValue());
                        ys.add(y);
                    }
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(label(spec), xs, ys);
            }
        }
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static XYChart spectrum(List<Map<String, Object>> scenarios, List<ServerSpec> servers) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Open loop at a fixed rate: latency by percentile (corrected)")
                .xAxisTitle("percentile (axis: 1 / (1 - p); 10 = p90, 100 = p99, 1000 = p99.9)")
                .yAxisTitle("latency (us)").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (ServerSpec spec : servers) {
            for (Map<String, Object> row : scenarios) {
                if (spec.name().equals(row.get("server")) && "open".equals(row.get("scenario"))
                        && row.get("spectrum") instanceof List<?> points && !points.isEmpty()) {
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    for (double[] p : (List<double[]>) points) {
                        double percentile = Math.min(p[0], 99.999);
                        if (p[1] > 0) {
                            xs.add(1 / (1 - percentile / 100));
                            ys.add(p[1]);
                        }
                    }
                    if (!xs.isEmpty()) {
                        chart.addSeries(label(spec), xs, ys);
                    }
                }
            }
        }
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static CategoryChart rss(List<Map<String, Object>> scenarios, List<ServerSpec> servers) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Memory per idle connection (server RSS growth / connections)")
                .xAxisTitle("server").yAxisTitle("KiB per idle connection").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (ServerSpec spec : servers) {
            for (Map<String, Object> row : scenarios) {
                if (spec.name().equals(row.get("server")) && "scale".equals(row.get("scenario"))
                        && row.get("scale") instanceof Map<?, ?> scale
                        && ((Map<String, Object>) scale).get("rssPerIdleConnectionKiB") instanceof Double kib) {
                    names.add(label(spec));
                    values.add(Math.max(0, kib));
                }
            }
        }
        if (names.isEmpty()) {
            names.add("no data");
            values.add(0.0);
        }
        chart.addSeries("KiB per idle connection", names, values);
        return chart;
    }

    private static String label(ServerSpec spec) {
        if (spec.name().equals("sync")) {
            return "sync (serves one connection; the rest starve)";
        }
        return "reference".equals(spec.kind()) ? spec.name() + " (reference)" : spec.name();
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setMarkerSize(6);
    }

    private static void save(Path dir, String name, Chart<?, ?> chart) throws IOException {
        if (chart instanceof XYChart xy && xy.getSeriesMap().isEmpty()) {
            xy.addSeries("no data", new double[] {1}, new double[] {1});
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name + ".svg").toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
