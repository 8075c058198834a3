package echolab.bench.course;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;

import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Scenario;
import echolab.bench.results.Scenario.Kind;
import echolab.bench.results.Trial;

/**
 * The overview's figure: the four models ranked on each cost, 1 the cheapest, from the bench run, the
 * JMH run and the files themselves. A cost a run does not have is left out and named.
 */
final class Ranking {

    /** One cost: its name, its unit, whether more is better, and each model's value (null when unknown). */
    record Cost(String name, String unit, boolean higherIsBetter, Map<String, Double> values, String from) {

        /** 1 for the best; ties share a rank; 0 for an unknown value. */
        int rank(String server) {
            Double mine = values.get(server);
            if (mine == null) {
                return 0;
            }
            int better = 0;
            for (Double v : values.values()) {
                if (v != null && (higherIsBetter ? v > mine * 1.0005 : v < mine * 0.9995)) {
                    better++;
                }
            }
            return better + 1;
        }
    }

    private Ranking() {
    }

    static List<Cost> costs(CourseData data) {
        List<String> servers = ServerCatalogue.names(ServerCatalogue.teaching());
        List<Cost> costs = new ArrayList<>();
        Optional<BenchRun> bench = data.bench();
        if (bench.isPresent() && bench.get().reference().isPresent()) {
            BenchRun r = bench.get();
            costs.add(cost("throughput, 100 connections x 64 B", "msg/s", true, servers,
                    s -> r.medianReference(s).filter(Trial::measured).map(Trial::throughput).orElse(null), "bench"));
            // The open loop's corrected p99, not the closed loop's: it counts the messages a server never answered.
            costs.add(cost("p99 latency at a fixed rate (open loop, from the planned send)", "µs", false, servers,
                    s -> r.trial(Kind.OPEN, s).filter(Trial::measured).map(t -> t.latency("p99")).orElse(null), "bench"));
            costs.add(cost("server CPU per message", "µs", false, servers, s -> Figures.cpuAtReference(r, s), "bench"));
            costs.add(cost("connections never answered, of 100", "", false, servers,
                    s -> Figures.closed(r, s, Scenario.REFERENCE_CONNECTIONS).filter(Trial::measured)
                            .map(t -> (double) t.load().starvedConnections()).orElse(null), "bench"));
            costs.add(cost("context switches per message", "", false, servers, s -> r.medianReference(s).map(Trial::serverStats)
                    .map(Trial.ServerStats::perMessage).filter(k -> k.voluntarySwitches() != null && k.involuntarySwitches() != null)
                    .map(k -> k.voluntarySwitches() + k.involuntarySwitches()).orElse(null), "bench"));
        }
        if (bench.isPresent() && bench.get().scenario(Kind.SCALE).isPresent()) {
            BenchRun r = bench.get();
            costs.add(cost("RSS per idle connection", "KiB", false, servers,
                    s -> r.trial(Kind.SCALE, s).map(Trial::scale).map(Trial.ScaleStats::rssPerIdleConnectionKiB).orElse(null), "bench"));
            costs.add(cost("threads per idle connection", "", false, servers,
                    s -> r.trial(Kind.SCALE, s).map(Trial::scale).map(Trial.ScaleStats::threadsPerIdleConnection).orElse(null), "bench"));
        }
        if (data.jmh().isPresent()) {
            JmhRun j = data.jmh().get();
            costs.add(cost("bytes allocated per echo (JMH)", "B", false, servers,
                    s -> j.find("Bench03_Allocation", "avgt", s, 64).map(JmhRun.Score::allocatedBytesPerOp).orElse(null), "jmh"));
        }
        costs.add(cost("lines of code in the teaching file", "", false, servers, s -> (double) data.file(s).codeLines(), "files"));
        costs.removeIf(c -> c.values().values().stream().allMatch(v -> v == null));
        return costs;
    }

    private static Cost cost(String name, String unit, boolean higher, List<String> servers, Function<String, Double> value, String from) {
        Map<String, Double> values = new LinkedHashMap<>();
        servers.forEach(s -> values.put(s, value.apply(s)));
        return new Cost(name, unit, higher, values, from);
    }

    static Figure figure(CourseData data, Figures figures, Path figuresDir) throws IOException {
        List<Cost> costs = costs(data);
        List<String> servers = ServerCatalogue.names(ServerCatalogue.teaching());
        StringBuilder head = new StringBuilder("<table class=\"ranking\"><thead><tr><th>cost</th>");
        servers.forEach(s -> head.append("<th><a href=\"").append(s).append(".html\">").append(s).append("</a></th>"));
        head.append("</tr></thead><tbody>\n");
        for (Cost c : costs) {
            head.append("<tr><td>").append(Html.escape(c.name())).append(c.higherIsBetter() ? " (more is better)" : "").append("</td>");
            for (String s : servers) {
                Double v = c.values().get(s);
                int rank = c.rank(s);
                head.append(String.format("<td class=\"num rank-%d\">%s%s</td>", rank, v == null ? "" : Html.escape(value(v, c.unit())),
                        rank == 0 ? "" : "<span class=\"rank\">" + rank + "</span>"));
            }
            head.append("</tr>\n");
        }
        head.append("</tbody></table>");
        List<String> sources = new ArrayList<>();
        if (costs.stream().anyMatch(c -> c.from().equals("bench"))) {
            sources.add(figures.benchSource(data.bench().get()));
        } else {
            sources.add("No bench run: throughput, latency, CPU and memory are missing. Produce one with <code>"
                    + Figures.BENCH_COMMAND + "</code>.");
        }
        if (costs.stream().anyMatch(c -> c.from().equals("jmh"))) {
            sources.add(figures.jmhSource(data.jmh().get()));
        } else {
            sources.add("No JMH run: allocation is missing. Produce one with <code>" + Figures.JMH_COMMAND + "</code>.");
        }
        sources.add("Lines of code: the teaching files as they are now (not blank, not only a comment).");
        String chart = heatMap(figuresDir, costs, servers);
        return new Figure("ranking", "The four models ranked on each cost (1: the cheapest)",
                "<p class=\"headline\">Each row is one cost, each model ranked from 1 (the cheapest) to 4; ties share a rank.</p>"
                        + head, chart, "heat map of ranks: costs by model", String.join("<br>", sources), false);
    }

    private static String heatMap(Path figuresDir, List<Cost> costs, List<String> servers) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // The cost names take the left half; the legend is left out (each cell shows its rank), so the four
        // server names each get a column wide enough to stand under it side by side.
        HeatMapChart chart = new HeatMapChartBuilder().width(920).height(110 + 34 * costs.size()).title("Rank on each cost (1: the cheapest)")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x2e, 0x7d, 0x32), new Color(0xf9, 0xe7, 0x9f), new Color(0xc6, 0x28, 0x28)});
        chart.getStyler().setShowValue(true);
        chart.getStyler().setMin(1);
        chart.getStyler().setMax(4);
        List<Number[]> cells = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int y = 0; y < costs.size(); y++) {
            Cost cost = costs.get(costs.size() - 1 - y);             // the chart's rows go up: the first cost on top, as in the table
            rows.add(cost.name());
            for (int x = 0; x < servers.size(); x++) {
                int rank = cost.rank(servers.get(x));
                if (rank > 0) {
                    cells.add(new Number[] {x, y, rank});
                }
            }
        }
        chart.addSeries("rank", servers, rows, cells);
        Files.createDirectories(figuresDir);
        VectorGraphicsEncoder.saveVectorGraphic(chart, figuresDir.resolve("ranking").toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return "ranking.svg";
    }

    private static String value(double v, String unit) {
        String n = Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format("%,.0f", v) : Math.abs(v) >= 10 ? String.format("%.0f", v)
                : Math.abs(v) >= 1 ? String.format("%.1f", v) : String.format("%.3f", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }
}
