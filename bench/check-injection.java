// Reads check.json files of runs with an injected slowdown (./echolab check --inject-slowdown P --json FILE) and
// prints, per server, what the injection became in each figure: the CPU it spins per echo, that spin as a share
// of the CPU per message the base spent in the rounds, then, over the rounds, the median change of CPU per
// message in ns and as a ratio of the spin, the median change of time per message, and the voluntary context
// switches per message of base and candidate (a server that sleeps less per message saves what waking costs).
// The spin per server is the file's injected.spinNanos, or, for files written before it was recorded there, the
// "injecting P% into the candidate's S: N ns" lines of the check's log beside the file (FILE with .log for .json).
// Run with the bench jar on the class path, for Jackson:
//   java -cp bench/cli/target/bench.jar bench/check-injection.java FILE...
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class CheckInjection {

    public static void main(String[] files) throws Exception {
        System.out.printf("%-28s %-16s %5s %7s %9s %8s %9s %7s %8s %8s %15s%n", "file", "server", "inj.", "spin ns", "of base",
                "base us", "CPU +ns", "x spin", "CPU", "time", "vol. switches");
        for (String file : files) {
            JsonNode check = new ObjectMapper().readTree(new File(file));
            double percent = check.path("injected").path("slowdownPercent").asDouble();
            Map<String, Long> spins = spins(file, check);
            Map<String, Map<String, List<double[]>>> rows = new TreeMap<>();
            for (JsonNode row : check.path("results")) {
                List<double[]> pairs = new ArrayList<>();
                row.path("pairs").forEach(p -> pairs.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble()}));
                rows.computeIfAbsent(row.path("server").asText(), s -> new TreeMap<>()).put(row.path("metric").asText(), pairs);
            }
            rows.forEach((server, metrics) -> {
                List<double[]> cpu = metrics.get("cpuUsPerMessage");
                List<double[]> time = metrics.get("usPerMessage");
                List<double[]> switches = metrics.get("voluntarySwitchesPerMessage");
                long spin = spins.getOrDefault(server, 0L);
                double base = median(cpu.stream().map(p -> p[0]).toList());
                double deltaNs = 1000 * median(cpu.stream().map(p -> p[1] - p[0]).toList());
                System.out.printf("%-28s %-16s %4.0f%% %7d %8.1f%% %8.2f %9.0f %7.2f %+7.1f%% %+7.1f%% %6.3f -> %.3f%n",
                        Path.of(file).getFileName(), server, percent, spin, spin / (10 * base), base, deltaNs, spin == 0 ? 0 : deltaNs / spin,
                        100 * (median(cpu.stream().map(p -> p[1] / p[0]).toList()) - 1),
                        100 * (median(time.stream().map(p -> p[1] / p[0]).toList()) - 1),
                        median(switches.stream().map(p -> p[0]).toList()), median(switches.stream().map(p -> p[1]).toList()));
            });
        }
    }

    /** injected.spinNanos of the file, else the spins its check printed to the log beside it. */
    private static Map<String, Long> spins(String file, JsonNode check) throws Exception {
        Map<String, Long> spins = new TreeMap<>();
        check.path("injected").path("spinNanos").fields().forEachRemaining(e -> spins.put(e.getKey(), e.getValue().asLong()));
        Path log = Path.of(file.replaceFirst("\\.json$", ".log"));
        if (spins.isEmpty() && Files.isRegularFile(log)) {
            Matcher m = Pattern.compile("injecting [\\d.]+% into the candidate's (\\S+): (\\d+) ns").matcher(Files.readString(log));
            while (m.find()) {
                spins.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return spins;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
