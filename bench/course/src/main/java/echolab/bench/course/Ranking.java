package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;


import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Figure;
import echolab.bench.results.Unit;

/**
 * The overview's figure: the four models ranked on each cost, 1 the cheapest, from the bench run, the
 * JMH run and the files themselves. A cost a run does not have is left out and named.
 */
final class Ranking {

    /** One cost: its name, its unit, whether more is better, and each model's value (null when unknown). */
    record Cost(String name, Unit unit, boolean higherIsBetter, Map<String, Double> values, String from) {

        /** 1 for the best; values that read the same in their unit tie and share a rank; 0 for an unknown value. */
        int rank(String server) {
            Double mine = values.get(server);
            if (mine == null) {
                return 0;
            }
            int better = 0;
            for (Double v : values.values()) {
                if (v != null && !unit.format(v).equals(unit.format(mine)) && (higherIsBetter ? v > mine : v < mine)) {
                    better++;
                }
            }
            return better + 1;
        }
    }

    /** The bench run's figures the models are ranked on, from the one catalogue. */
    private static final List<Figure> RANKED = List.of(Figure.THROUGHPUT, Figure.OPEN_P99, Figure.CPU_PER_MESSAGE, Figure.NEVER_ANSWERED,
            Figure.SWITCHES, Figure.RSS_PER_IDLE_CONNECTION, Figure.THREADS_PER_IDLE_CONNECTION);

    private Ranking() {
    }

    static List<Cost> costs(CourseData data) {
        List<String> servers = ServerCatalogue.names(ServerCatalogue.teaching());
        List<Cost> costs = new ArrayList<>();
        Optional<BenchRun> bench = data.bench();
        // The open loop's corrected p99, not the closed loop's: it counts the messages a server never answered.
        for (Figure f : RANKED) {
            bench.ifPresent(r -> costs.add(cost(f.description, f.unit, f.higherIsBetter, servers, s -> f.of(r, s), "bench")));
        }
        if (data.jmh().isPresent()) {
            JmhRun j = data.jmh().get();
            costs.add(cost("bytes allocated per echo (JMH)", Unit.BYTES_PER_MESSAGE, false, servers,
                    s -> j.find("Bench03_Allocation", "avgt", s, 64).map(JmhRun.Score::allocatedBytesPerOp).orElse(null), "jmh"));
        }
        costs.add(cost("lines of code in the teaching file", Unit.COUNT, false, servers, s -> (double) data.file(s).codeLines(), "files"));
        costs.removeIf(c -> c.values().values().stream().allMatch(v -> v == null));
        return costs;
    }

    private static Cost cost(String name, Unit unit, boolean higher, List<String> servers, Function<String, Double> value, String from) {
        Map<String, Double> values = new LinkedHashMap<>();
        servers.forEach(s -> values.put(s, value.apply(s)));
        return new Cost(name, unit, higher, values, from);
    }

    static PageFigure figure(CourseData data, Figures figures, Path figuresDir) throws IOException {
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
                head.append(String.format("<td class=\"num rank-%d\">%s%s</td>", rank, v == null ? "" : Html.escape(c.unit().withSymbol(v)),
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
        return new PageFigure("ranking", "The four models ranked on each cost (1: the cheapest)",
                "<p class=\"headline\">Each row is one cost, each model ranked from 1 (the cheapest) to 4; ties share a rank.</p>"
                        + head, chart, "heat map of ranks: costs by model", String.join("<br>", sources), false);
    }

    private static String heatMap(Path figuresDir, List<Cost> costs, List<String> servers) throws IOException {
        int[][] ranks = new int[costs.size()][servers.size()];
        for (int y = 0; y < costs.size(); y++) {
            for (int x = 0; x < servers.size(); x++) {
                ranks[y][x] = costs.get(y).rank(servers.get(x));
            }
        }
        return CourseChart.ranks(figuresDir, "ranking", "Rank on each cost (1: the cheapest)", costs.stream().map(Cost::name).toList(),
                servers, ranks, servers.size());
    }

}
