package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import echolab.bench.check.PairedRatio.Verdict;
import echolab.bench.results.Environment;

/** The gate's outcome for people (a Markdown table) and for machines (JSON, schema echo-lab/check). */
final class GateReport {

    private GateReport() {
    }

    static String table(String baseRev, String baseSha, Gate.Outcome o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%n### echo-lab check: working tree vs %s (%s)%n%n", baseRev, baseSha.substring(0, 12)));
        s.append("Higher is worse for every metric. Base, candidate: medians over the rounds. Change: the mean paired "
                + "log-ratio as a percentage; interval: 99% bootstrap.\n\n");
        s.append("| server | metric | base | candidate | change | 99% interval | rounds | verdict |\n");
        s.append("|---|---|---:|---:|---:|---|---:|---|\n");
        o.results().forEach((server, byMetric) -> byMetric.forEach((metric, r) -> {
            List<double[]> p = o.pairs().get(server).get(metric);
            s.append(String.format("| %s | %s | %s | %s | %+.1f%% | %+.1f%% to %+.1f%% | %d | %s |%n", server, metric.key,
                    fmt(median(p, 0)), fmt(median(p, 1)), 100 * r.change(), 100 * r.low(), 100 * r.high(), r.rounds(),
                    r.verdict() == Verdict.FAIL ? "**FAIL**" : r.verdict().name()));
        }));
        o.notApplicable().forEach((server, byMetric) -> byMetric.forEach((metric, why) ->
                s.append(String.format("| %s | %s | | | | | | n/a: %s |%n", server, metric.key, why))));
        long open = o.inconclusive();
        s.append(String.format("%nGate: %s%s%n", o.failed() ? "**FAIL**" : "pass", open == 0 ? ""
                : String.format(" (%d inconclusive: their intervals reach above +10%%; a higher --rounds narrows them)", open)));
        return s.toString();
    }

    static void writeJson(Path file, String baseRev, String baseSha, String candidateCommit, boolean candidateDirty, long seed,
                          double injectSlowdown, Gate.Outcome o, Environment environment) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema", "echo-lab/check");
        out.put("schemaVersion", 1);
        out.put("base", Map.of("revision", baseRev, "commit", baseSha));
        out.put("candidate", Map.of("commit", String.valueOf(candidateCommit), "dirty", candidateDirty));
        out.put("seed", seed);
        out.put("rounds", o.rounds());
        out.put("injectedSlowdownPercent", injectSlowdown);
        out.put("thresholds", Map.of("threshold", PairedRatio.THRESHOLD, "failEstimate", PairedRatio.FAIL_ESTIMATE,
                "confidence", PairedRatio.CONFIDENCE, "resamples", PairedRatio.RESAMPLES));
        List<Map<String, Object>> rows = new ArrayList<>();
        o.results().forEach((server, byMetric) -> byMetric.forEach((metric, r) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("server", server);
            row.put("metric", metric.key);
            row.put("pairs", o.pairs().get(server).get(metric));
            row.put("change", r.change());
            row.put("low", r.low());
            row.put("high", r.high());
            row.put("verdict", r.verdict().name());
            rows.add(row);
        }));
        o.notApplicable().forEach((server, byMetric) -> byMetric.forEach((metric, why) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("server", server);
            row.put("metric", metric.key);
            row.put("verdict", "N/A");
            row.put("reason", why);
            rows.add(row);
        }));
        out.put("results", rows);
        out.put("verdict", o.failed() ? "FAIL" : "PASS");                    // the gate: PASS also when some are inconclusive
        out.put("inconclusive", o.inconclusive());
        out.put("environment", environment);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    }

    private static double median(List<double[]> pairs, int side) {
        double[] v = pairs.stream().mapToDouble(p -> p[side]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
