package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * results.json (rewritten after every scenario, so an interrupted run keeps what it measured),
 * summary.md and the charts. Schema: see {@link #SCHEMA} and results/README.md.
 */
final class Report {

    static final String SCHEMA = "echo-lab/bench-results";
    static final int SCHEMA_VERSION = 1;

    private final Path dir;
    private final Profile profile;
    private final List<ServerSpec> servers;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Map<String, Object>> scenarios = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Report(Path dir, Profile profile, List<ServerSpec> servers, Map<String, Object> environment) throws IOException {
        this.dir = dir;
        this.profile = profile;
        this.servers = servers;
        root.put("schema", SCHEMA);
        root.put("schemaVersion", SCHEMA_VERSION);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", dir.getFileName().toString());
        run.put("profile", profile.name());
        run.put("startedAt", Instant.now().toString());
        run.put("finishedAt", null);
        run.put("complete", false);
        root.put("run", run);
        root.put("environment", environment);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", profile.connections());
        p.put("sizes", profile.sizes());
        p.put("warmupSeconds", profile.warmup().toMillis() / 1e3);
        p.put("durationSeconds", profile.duration().toMillis() / 1e3);
        p.put("openLoopConnections", profile.openLoopConnections());
        p.put("openLoopDurationSeconds", profile.openLoopDuration().toMillis() / 1e3);
        p.put("openLoopRate", null);
        p.put("idleConnections", profile.idleConnections());
        root.put("profile", p);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ServerSpec s : servers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.kind());
            m.put("command", s.command());
            list.add(m);
        }
        root.put("servers", list);
        root.put("scenarios", scenarios);
        write();
    }

    Path dir() {
        return dir;
    }

    void add(Map<String, Object> row) {
        scenarios.add(row);
        write();
    }

    void skipped(ServerSpec spec, String why) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", spec.name());
        row.put("kind", spec.kind());
        row.put("scenario", "all");
        row.put("status", "skipped");
        row.put("error", why);
        add(row);
    }

    @SuppressWarnings("unchecked")
    void setOpenLoopRate(double rate) {
        ((Map<String, Object>) root.get("profile")).put("openLoopRate", rate);
        write();
    }

    /** Half the closed-loop throughput of the slowest concurrent server at 100 x 64 B. */
    double openLoopRate() {
        double slowest = Double.MAX_VALUE;
        for (ServerSpec spec : servers) {
            Double median = spec.name().equals("sync") ? null : reference(spec.name());
            if (median != null && median > 0) {
                slowest = Math.min(slowest, median);
            }
        }
        return slowest == Double.MAX_VALUE ? 0 : Math.floor(slowest / 2);
    }

    @SuppressWarnings("unchecked")
    void finish() throws IOException {
        Map<String, Object> run = (Map<String, Object>) root.get("run");
        run.put("finishedAt", Instant.now().toString());
        run.put("complete", true);
        write();
        Files.writeString(dir.resolve("summary.md"), summaryMarkdown());
        Charts.draw(dir, scenarios, servers);
    }

    private void write() {
        try {
            Path tmp = dir.resolve("results.json.tmp");
            json.writeValue(tmp.toFile(), root);
            Files.move(tmp, dir.resolve("results.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("bench: cannot write results.json: " + e.getMessage());
        }
    }

    // ---- tables ---------------------------------------------------------------------------------

    /** The main table, printed at the end of a run and at the top of summary.md. */
    String summaryTable() {
        StringBuilder s = new StringBuilder();
        Double netty = reference("netty");
        Double nativ = reference("native");
        s.append(String.format("Main table: closed loop at %d connections x %d B (median of %d interleaved rounds); "
                        + "open loop at %s msg/s; %d idle connections%n%n",
                Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE, profile.rounds(), rateText(), profile.idleConnections()));
        s.append("| server | kind | msg/s | range over rounds | vs Netty | vs native | p50 | p99 | open-loop p99 (corrected) | server CPU us/msg | RSS per idle conn | threads with idle | note |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ServerSpec spec : servers) {
            Map<String, Object> ref = medianReference(spec.name());
            Map<String, Object> open = find(spec.name(), "open", -1, -1);
            Map<String, Object> scale = find(spec.name(), "scale", -1, -1);
            if (ref == null && open == null && scale == null) {
                s.append(String.format("| %s | %s | | | | | | | | | | | %s |%n", spec.name(), spec.kind(),
                        spec.available() ? "not measured" : "skipped: " + spec.unavailableReason()));
                continue;
            }
            double tput = ref != null ? throughput(ref) : 0;
            s.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    spec.name(), spec.kind(),
                    ref != null ? String.format("%,.0f", tput) : "", spread(spec.name()),
                    ratio(tput, netty), ratio(tput, nativ),
                    micros(latency(ref, "p50")), micros(latency(ref, "p99")),
                    micros(latency(open, "p99")),
                    number(serverStat(ref, "cpuMicrosPerMessage"), "%.1f"),
                    scaleText(scale, "rssPerIdleConnectionKiB", "%.1f KiB"),
                    scaleText(scale, "threadsWithIdle", "%.0f"),
                    note(ref, open, scale)));
        }
        return s.toString();
    }

    private String summaryMarkdown() {
        StringBuilder s = new StringBuilder();
        s.append("# echo-lab bench: ").append(dir.getFileName()).append("\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) root.get("environment");
        s.append(String.format("Profile `%s`; %s; %s cores (%s); JDK %s; kernel %s; commit %s%s.%n%n",
                profile.name(), env.get("cpuModel"), env.get("cores"), pinningText(env), env.get("jdk"), env.get("kernel"),
                env.get("gitCommit"), Boolean.TRUE.equals(env.get("gitDirty")) ? " (with uncommitted changes)" : ""));
        s.append(summaryTable()).append('\n');
        s.append("Latencies in microseconds unless marked ms. `vs` columns: throughput ratio to the reference peer. ");
        s.append("Server CPU and RSS come from /proc of the server process; RSS per idle connection is ");
        s.append("(RSS holding the idle connections - RSS before) / connections.\n\n");
        s.append("![throughput](throughput.png) ![p99](p99.png)\n\n![spectrum](spectrum.png) ![rss](rss-per-connection.png)\n\n");
        s.append("## Closed-loop sweep\n\n");
        s.append("| server | connections | size | msg/s | MiB/s | p50 | p90 | p99 | p99.9 | max | errors | starved | server CPU us/msg | peak RSS KiB | peak threads | status |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map<String, Object> row : scenarios) {
            if (!"closed".equals(row.get("scenario")) || !Integer.valueOf(1).equals(row.get("round"))) {
                continue;
            }
            Map<String, Object> load = load(row);
            s.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.get("server"), row.get("connections"), row.get("size"),
                    load == null ? "" : String.format("%,.0f", (Double) load.get("messagesPerSecond")),
                    load == null ? "" : String.format("%.2f", (Double) load.get("mibPerSecond")),
                    micros(latency(row, "p50")), micros(latency(row, "p90")), micros(latency(row, "p99")),
                    micros(latency(row, "p999")), micros(latency(row, "max")),
                    load == null ? "" : errorsOf(load), load == null ? "" : load.get("starvedConnections"),
                    number(serverStat(row, "cpuMicrosPerMessage"), "%.1f"),
                    number(serverStat(row, "peakRssKiB"), "%.0f"), number(serverStat(row, "peakThreads"), "%.0f"),
                    statusText(row)));
        }
        if (profile.rounds() > 1) {
            s.append(String.format("%n## The reference point in %d rounds (100 x 64 B, closed loop, msg/s)%n%n", profile.rounds()));
            s.append("Each round measures every server back to back in a rotating order; the main table takes the median.\n\n");
            s.append("| server |");
            for (int r = 1; r <= profile.rounds(); r++) {
                s.append(" round ").append(r).append(" |");
            }
            s.append("\n|---|").append("---:|".repeat(profile.rounds())).append('\n');
            for (ServerSpec spec : servers) {
                s.append("| ").append(spec.name()).append(" |");
                for (int r = 1; r <= profile.rounds(); r++) {
                    String cell = "";
                    for (Map<String, Object> row : referenceRounds(spec.name())) {
                        if (Integer.valueOf(r).equals(row.get("round"))) {
                            cell = String.format("%,.0f", throughput(row));
                        }
                    }
                    s.append(' ').append(cell).append(" |");
                }
                s.append('\n');
            }
        }
        s.append(String.format("%n## Open loop at %s msg/s, %d connections, 64 B%n%n", rateText(), profile.openLoopConnections()));
        s.append("Corrected latency counts from each message's planned send time; uncorrected from the actual send.\n\n");
        s.append("| server | target msg/s | achieved msg/s | p50 | p90 | p99 | p99.9 | max | uncorrected p99 | uncorrected max | status |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map<String, Object> row : scenarios) {
            if (!"open".equals(row.get("scenario"))) {
                continue;
            }
            Map<String, Object> load = load(row);
            s.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.get("server"),
                    load == null ? "" : number(load.get("targetRate"), "%,.0f"),
                    load == null ? "" : number(load.get("achievedRate"), "%,.0f"),
                    micros(latency(row, "p50")), micros(latency(row, "p90")), micros(latency(row, "p99")),
                    micros(latency(row, "p999")), micros(latency(row, "max")),
                    micros(uncorrected(row, "p99")), micros(uncorrected(row, "max")), statusText(row)));
        }
        s.append(String.format("%n## Connection scale: %d idle connections plus one active%n%n", profile.idleConnections()));
        s.append("| server | idle opened | accepted by server | RSS before KiB | RSS with idle KiB | KiB per idle conn | threads before | threads with idle | active p50 | active p99 | status |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map<String, Object> row : scenarios) {
            if (!"scale".equals(row.get("scenario"))) {
                continue;
            }
            s.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.get("server"),
                    scaleText(row, "idleOpened", "%.0f"), scaleText(row, "idleAcceptedByServer", "%.0f"),
                    scaleText(row, "rssBaselineKiB", "%.0f"), scaleText(row, "rssWithIdleKiB", "%.0f"),
                    scaleText(row, "rssPerIdleConnectionKiB", "%.2f"), scaleText(row, "threadsBaseline", "%.0f"),
                    scaleText(row, "threadsWithIdle", "%.0f"), micros(latency(row, "p50")), micros(latency(row, "p99")),
                    statusText(row)));
        }
        for (Map<String, Object> row : scenarios) {
            if ("capacity".equals(row.get("scenario")) && row.get("capacity") instanceof Map<?, ?> c) {
                s.append(String.format("%n## The generator's own capacity%n%nAgainst the native epoll server, %d connections x %d B, "
                                + "closed loop, each client on the generator's core: echo-lab's generator %,.0f msg/s, a minimal native "
                                + "epoll client %,.0f msg/s (ratio %.2f).%n", Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE,
                        (Double) c.get("generatorMessagesPerSecond"), (Double) c.get("nativeClientMessagesPerSecond"),
                        (Double) c.get("generatorToNativeClient")));
            }
        }
        List<String> failed = new ArrayList<>();
        for (Map<String, Object> row : scenarios) {
            if ("failed".equals(row.get("status")) || "skipped".equals(row.get("status"))) {
                failed.add(String.format("- %s %s c=%s: %s: %s", row.get("server"), row.get("scenario"),
                        row.getOrDefault("connections", ""), row.get("status"), row.get("error")));
            }
        }
        if (!failed.isEmpty()) {
            s.append("\n## Failed or skipped\n\n").append(String.join("\n", failed)).append('\n');
        }
        s.append("\nReproduce: `./echolab bench --profile ").append(profile.name()).append("`\n");
        return s.toString();
    }

    // ---- lookups and formatting -----------------------------------------------------------------

    private Map<String, Object> find(String server, String scenario, int connections, int size) {
        for (Map<String, Object> row : scenarios) {
            if (server.equals(row.get("server")) && scenario.equals(row.get("scenario"))
                    && (connections < 0 || Integer.valueOf(connections).equals(row.get("connections")))
                    && (size < 0 || Integer.valueOf(size).equals(row.get("size")))) {
                return row;
            }
        }
        return null;
    }

    private Double reference(String server) {
        Map<String, Object> row = medianReference(server);
        return row != null && "ok".equals(row.get("status")) ? throughput(row) : null;
    }

    /** Every round of the reference point (100 x 64 B, closed loop) that measured something. */
    private List<Map<String, Object>> referenceRounds(String server) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : scenarios) {
            if (server.equals(row.get("server")) && "closed".equals(row.get("scenario"))
                    && Integer.valueOf(Profile.REFERENCE_CONNECTIONS).equals(row.get("connections"))
                    && Integer.valueOf(Profile.REFERENCE_SIZE).equals(row.get("size")) && !"failed".equals(row.get("status"))) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The round with the median throughput at the reference point: its figures go in the main table. */
    private Map<String, Object> medianReference(String server) {
        List<Map<String, Object>> rows = referenceRounds(server);
        if (rows.isEmpty()) {
            return find(server, "closed", Profile.REFERENCE_CONNECTIONS, Profile.REFERENCE_SIZE);
        }
        rows.sort(java.util.Comparator.comparingDouble(Report::throughput));
        return rows.get((rows.size() - 1) / 2);
    }

    private String spread(String server) {
        List<Map<String, Object>> rows = referenceRounds(server);
        if (rows.size() < 2) {
            return "";
        }
        double min = rows.stream().mapToDouble(Report::throughput).min().orElse(0);
        double max = rows.stream().mapToDouble(Report::throughput).max().orElse(0);
        return String.format("%,.0f-%,.0f", min, max);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Map<String, Object> row) {
        return row == null ? null : (Map<String, Object>) row.get("load");
    }

    static double throughput(Map<String, Object> row) {
        Map<String, Object> load = load(row);
        return load == null ? 0 : (Double) load.get("messagesPerSecond");
    }

    static Double latency(Map<String, Object> row, String percentile) {
        Map<String, Object> load = load(row);
        if (load == null || !(load.get("latencyMicros") instanceof echolab.bench.load.LoadResult.Latency l) || l.count() == 0) {
            return null;
        }
        return pick(l, percentile);
    }

    private static Double uncorrected(Map<String, Object> row, String percentile) {
        Map<String, Object> load = load(row);
        if (load == null || !(load.get("uncorrectedLatencyMicros") instanceof echolab.bench.load.LoadResult.Latency l) || l.count() == 0) {
            return null;
        }
        return pick(l, percentile);
    }

    private static Double pick(echolab.bench.load.LoadResult.Latency l, String percentile) {
        return switch (percentile) {
            case "p50" -> l.p50();
            case "p90" -> l.p90();
            case "p99" -> l.p99();
            case "p999" -> l.p999();
            case "max" -> l.max();
            default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object serverStat(Map<String, Object> row, String key) {
        return row == null || !(row.get("serverStats") instanceof Map<?, ?>) ? null : ((Map<String, Object>) row.get("serverStats")).get(key);
    }

    @SuppressWarnings("unchecked")
    private static String scaleText(Map<String, Object> row, String key, String format) {
        if (row == null || !(row.get("scale") instanceof Map<?, ?>)) {
            return "";
        }
        return number(((Map<String, Object>) row.get("scale")).get(key), format);
    }

    private static String number(Object value, String format) {
        return value instanceof Number n ? String.format(format, n.doubleValue()) : "";
    }

    static String micros(Double us) {
        if (us == null) {
            return "";
        }
        return us >= 10_000 ? String.format("%.1f ms", us / 1000) : String.format("%.0f", us);
    }

    private static String ratio(double value, Double reference) {
        return reference == null || reference == 0 || value == 0 ? "" : String.format("%.2fx", value / reference);
    }

    private static String errorsOf(Map<String, Object> load) {
        Object e = load.get("errors");
        return e instanceof echolab.bench.load.LoadResult.Errors errors ? String.valueOf(errors.total()) : "";
    }

    private static String statusText(Map<String, Object> row) {
        String status = String.valueOf(row.get("status"));
        if (Boolean.TRUE.equals(row.get("generatorBound"))) {
            status += ", generator-bound";
        }
        return status;
    }

    private static String note(Map<String, Object> ref, Map<String, Object> open, Map<String, Object> scale) {
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> row : new ArrayList<>(java.util.Arrays.asList(ref, open, scale))) {
            if (row == null) {
                continue;
            }
            Map<String, Object> load = load(row);
            if ("starved".equals(row.get("status")) && load != null) {
                notes.add(row.get("scenario") + ": " + load.get("starvedConnections") + " of " + load.get("connectionsRequested") + " starved");
            } else if ("failed".equals(row.get("status"))) {
                notes.add(row.get("scenario") + " failed");
            }
            if (Boolean.TRUE.equals(row.get("generatorBound")) && "closed".equals(row.get("scenario"))) {
                notes.add("generator-bound");
            }
        }
        return String.join("; ", notes);
    }

    private String rateText() {
        @SuppressWarnings("unchecked")
        Object rate = ((Map<String, Object>) root.get("profile")).get("openLoopRate");
        return rate instanceof Number n ? String.format("%,.0f", n.doubleValue()) : "(not run)";
    }

    @SuppressWarnings("unchecked")
    private static String pinningText(Map<String, Object> env) {
        Map<String, Object> p = (Map<String, Object>) env.get("pinning");
        return Boolean.TRUE.equals(p.get("taskset"))
                ? "servers pinned to CPU " + p.get("serverCpus") + ", generator to CPU " + p.get("generatorCpus")
                : "not pinned";
    }

    /** Percentile spectrum for the chart and the JSON: (percentile, microseconds) pairs. */
    static List<double[]> spectrum(Histogram histogram) {
        List<double[]> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            if (v.getPercentileLevelIteratedTo() >= 100.0) {
                break;
            }
            points.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1e3});
        }
        points.add(new double[] {100.0, histogram.getMaxValue() / 1e3});
        return points;
    }
}
