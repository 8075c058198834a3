package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.results.Environment;
import echolab.bench.base.Json;
import echolab.bench.base.NotARun;

/**
 * A run of {@code ./echolab jmh}, as JMH's own JSON holds it: one result per benchmark, mode and
 * parameters, with the secondary metric {@code gc.alloc.rate.norm} when the run had {@code -prof gc}.
 *
 * @param file where it was read from (its name is the run's UTC time)
 * @param jdk the benchmark JVM's version
 * @param environment the machine and commit, from the file beside it that {@code ./echolab jmh} writes
 *                    ({@code <time>.environment.json}); null for a run without one
 */
public record JmhRun(Path file, String jdk, Environment environment, List<Score> results) {

    /** The suffix of the file beside a JMH run's JSON that records its machine and commit. */
    public static final String ENVIRONMENT_SUFFIX = ".environment.json";

    /** One benchmark: e.g. Bench03_Allocation, avgt, server selector, size 64. */
    public record Score(String benchmark, String mode, String server, int size, double score, double error, String unit,
                         Double allocatedBytesPerOp) {
    }

    /**
     * The newest JSON file under {@code dir}, by name (a UTC time). JMH creates its result file when it starts and
     * fills it when it ends, so a run that was stopped or failed leaves an empty one: that is not a run.
     */
    public static Optional<Path> newest(Path dir) throws IOException {
        return Json.newest(dir, f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().endsWith(ENVIRONMENT_SUFFIX)
                && f.toFile().length() > 0);
    }

    /** Reads a JMH JSON file; {@link NotARun} with one line when it is missing or is not JMH's JSON. */
    public static JmhRun read(Path file) throws IOException {
        JsonNode tree = Json.readTree(file);
        if (!tree.isArray() || tree.isEmpty() || !tree.get(0).has("benchmark") || !tree.get(0).has("primaryMetric")) {
            throw new NotARun(file + " is not JMH's JSON output (an array of results with 'benchmark' and 'primaryMetric')");
        }
        List<Score> results = new ArrayList<>();
        for (JsonNode r : tree) {
            String benchmark = r.path("benchmark").asText();
            String[] parts = benchmark.split("\\.");
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            results.add(new Score(parts.length >= 2 ? parts[parts.length - 2] : benchmark, r.path("mode").asText(),
                    r.path("params").path("server").asText(null), r.path("params").path("size").asInt(0),
                    r.path("primaryMetric").path("score").asDouble(Double.NaN),
                    r.path("primaryMetric").path("scoreError").asDouble(Double.NaN), r.path("primaryMetric").path("scoreUnit").asText(),
                    alloc.isMissingNode() ? null : alloc.path("score").asDouble()));
        }
        Path beside = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ENVIRONMENT_SUFFIX);
        Environment environment = null;
        if (Files.isRegularFile(beside)) {
            environment = Json.convert(Json.readTree(beside), Environment.class, beside, "an environment record");
        }
        return new JmhRun(file, tree.get(0).path("vmVersion").asText(tree.get(0).path("jdkVersion").asText("unknown")), environment,
                results);
    }

    /** "; on MACHINE; commit C", or a note that the run did not record them. */
    public String environmentText() {
        return environment == null ? "; the machine and commit were not recorded with this run"
                : " on " + environment.oneLine();
    }

    /** The result of {@code benchmark} in {@code mode} for a server and size. */
    public Optional<Score> find(String benchmark, String mode, String server, int size) {
        return results.stream().filter(r -> r.benchmark().equals(benchmark) && r.mode().equals(mode)
                && server.equals(r.server()) && r.size() == size).findFirst();
    }

    /** The file's name, which is the time of the run. */
    public String id() {
        return file.getFileName().toString().replaceFirst("\\.json$", "");
    }
}
