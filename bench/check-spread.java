// Reads check.json files (./echolab check --json) and prints, per server and metric, how far the paired
// log-ratio candidate/base spreads from round to round, pooled over every round of every file: the noise
// the gate has to see through, as the SD and, robust to the few rounds a disturbance hits, 1.4826 times the
// median absolute deviation (the SD again when the rounds are normal). Used by bench/check-power.sh on its A/A runs, e.g. to compare the server's
// CPU time read by its cgroup (cpuUsPerMessage) with the same rounds read by the 10 ms tick
// (cpuTickUsPerMessage). Run with the bench jar on the class path, for Jackson:
//   java -cp bench/cli/target/bench.jar bench/check-spread.java FILE...
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class CheckSpread {

    public static void main(String[] files) throws Exception {
        Map<String, List<Double>> ratios = new TreeMap<>();
        for (String file : files) {
            for (JsonNode row : new ObjectMapper().readTree(new File(file)).path("results")) {
                String key = row.path("server").asText() + " " + row.path("metric").asText();
                for (JsonNode pair : row.path("pairs")) {
                    double base = pair.get(0).asDouble();
                    double candidate = pair.get(1).asDouble();
                    if (base > 0 && candidate > 0) {
                        ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(Math.log(candidate / base));
                    }
                }
            }
        }
        System.out.printf("%-45s %7s %12s %12s%n", "server metric", "rounds", "SD of ln(c/b)", "robust SD");
        ratios.forEach((key, r) -> {
            double mean = r.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double sd = Math.sqrt(r.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, r.size() - 1));
            double median = median(r);
            double mad = median(r.stream().map(x -> Math.abs(x - median)).toList());
            System.out.printf("%-45s %7d %12.4f %12.4f%n", key, r.size(), sd, 1.4826 * mad);
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
