package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import echolab.bench.Durations;
import echolab.bench.check.PairedRatio.Verdict;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import echolab.bench.run.Environment;
import echolab.bench.run.Pinning;
import echolab.bench.run.ServerProcess;
import echolab.bench.run.ServerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./echolab check}: the regression gate. Like with like, on one machine, in one job: the base
 * revision and the working tree, built with the same JDK, measured in interleaved rounds (seeded random
 * order, fresh JVMs every time), compared as paired log-ratios with a bootstrap interval.
 */
@Command(name = "check", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Compare the working tree with a base revision and fail on a performance regression.",
            "",
            "Builds the base in a git worktree (.check/<sha>), then runs base and candidate servers in fresh "
                + "JVMs, interleaved in a seeded random order, round after round. Metrics per server, all "
                + "oriented so that higher is worse: time per message (closed loop), p50 and p99 at a fixed "
                + "open-loop rate, server CPU per message, bytes allocated per message, threads started.",
            "",
            "Per metric: the mean paired log-ratio candidate/base with a 99%% bootstrap interval. FAIL: the "
                + "interval lies wholly above +10%% and the estimate is at least +15%%. PASS: wholly below "
                + "+10%%. Otherwise INCONCLUSIVE, and rounds are added up to --max-rounds. Only FAIL fails "
                + "the gate."},
        footer = {"", "Exit status: 0 pass or inconclusive, 1 a metric failed, 2 bad usage or a build that failed."})
public final class CheckCommand implements Callable<Integer> {

    static final int MIN_ROUNDS = 5;
    static final List<String> METRICS = List.of("usPerMessage", "openP50Us", "openP99Us", "cpuUsPerMessage",
            "allocBytesPerMessage", "threadsStarted");
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) bytes echoed, (\\d+) bytes allocated, (\\d+) threads started");

    @Option(names = "--base", paramLabel = "REV",
            description = "Base revision (default: the merge-base with main; on main, HEAD~1).")
    String base;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "6", description = "Rounds before the first verdict, at least 5 (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--max-rounds", paramLabel = "N", description = "Cap when inconclusive (default: three times --rounds).")
    Integer maxRounds;

    @Option(names = "--servers", split = ",", paramLabel = "NAMES",
            defaultValue = "sync,thread-per-conn,selector,virtual-thread",
            description = "Servers to compare (default: ${DEFAULT-VALUE}).")
    List<String> servers;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "1s", converter = Durations.class,
            description = "Measured time of each closed- and open-loop run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "862", description = "Seed of the run order and the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table to FILE (e.g. $GITHUB_STEP_SUMMARY).")
    Path markdown;

    @Option(names = "--inject-slowdown", paramLabel = "PERCENT", hidden = true,
            description = "Test only: make the candidate's servers spend PERCENT more CPU per echo.")
    double injectSlowdown;

    @Option(names = "--no-pin", description = "Do not pin servers and generator to separate cores.")
    boolean noPin;

    @Option(names = "--root", hidden = true)
    Path root;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private String java;
    private String serverCpus;

    /** One server of one version: its jar, and the extra JVM flags (only the injected slowdown). */
    private record Version(String label, Path jarRoot, List<String> extraFlags) {
    }

    @Override
    public Integer call() throws Exception {
        root = (root != null ? root : Path.of(System.getProperty("echolab.root", "."))).toAbsolutePath().normalize();
        java = ProcessHandle.current().info().command().orElse("java");
        int cap = maxRounds != null ? maxRounds : 3 * rounds;
        if (rounds < MIN_ROUNDS || cap < rounds) {   // a bootstrap over fewer pairs is only their min and max
            System.err.println("check: --rounds must be at least " + MIN_ROUNDS + " and --max-rounds at least --rounds");
            return 2;
        }
        for (String s : servers) {
            if (!List.of("sync", "thread-per-conn", "selector", "virtual-thread").contains(s)) {
                System.err.println("check: unknown server '" + s + "'; choose from sync, thread-per-conn, selector, virtual-thread");
                return 2;
            }
        }
        String baseRev = base != null ? base : defaultBase();
        String baseSha = Environment.git(root, "rev-parse", "--verify", baseRev + "^{commit}");
        if (baseSha == null) {
            System.err.println("check: '" + baseRev + "' is not a revision of this repository");
            return 2;
        }
        Path baseTree;
        try {
            baseTree = buildBase(baseSha);
        } catch (IOException e) {
            System.err.println("check: " + e.getMessage());
            return 2;
        }
        Pinning pinning = Pinning.apply(noPin);
        serverCpus = pinning.serverCpus();
        System.err.printf("check: base %s (%s) vs working tree; servers %s; %d to %d rounds; seed %d%n",
                baseRev, baseSha.substring(0, 12), servers, rounds, cap, seed);

        // One fixed open-loop rate per server, and (test only) the injected CPU per echo, from a first base run.
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<String, Version[]> versions = new LinkedHashMap<>();
        for (String server : servers) {
            // The first run of a fresh JVM still compiles; a second one calibrates the rate and the injection.
            run(server, new Version("base", baseTree, List.of()), 0);
            Measurement probe = run(server, new Version("base", baseTree, List.of()), 0);
            rates.put(server, Math.max(100, Math.floor(probe.throughput / 2)));
            List<String> extra = new ArrayList<>();
            if (injectSlowdown > 0) {
                // One run's CPU per message moves by 15% here; the median of three pins the injected share.
                double[] cpu = {probe.cpuUsPerMessage,
                        run(server, new Version("base", baseTree, List.of()), 0).cpuUsPerMessage,
                        run(server, new Version("base", baseTree, List.of()), 0).cpuUsPerMessage};
                Arrays.sort(cpu);
                long spin = Math.round(cpu[1] * 1000 * injectSlowdown / 100);
                extra.add("-Decholab.inject.spinNanos=" + spin);
                System.err.printf("check: injecting %.0f%% into the candidate's %s: %d ns of CPU per echo%n", injectSlowdown, server, spin);
            }
            versions.put(server, new Version[] {new Version("base", baseTree, List.of()), new Version("candidate", root, extra)});
        }

        Map<String, Map<String, List<double[]>>> pairs = new LinkedHashMap<>();   // server -> metric -> (base, candidate)
        servers.forEach(server -> pairs.put(server, new LinkedHashMap<>()));   // the table in the order asked for
        SplittableRandom order = new SplittableRandom(seed);
        Map<String, Map<String, PairedRatio.Result>> results = new LinkedHashMap<>();
        int round = 0;
        long started = System.nanoTime();
        List<String> active = new ArrayList<>(servers);   // after the first --rounds: only servers with an open question
        while (true) {
            round++;
            List<String[]> jobs = new ArrayList<>();
            for (String server : active) {
                jobs.add(new String[] {server, "0"});
                jobs.add(new String[] {server, "1"});
            }
            Collections.shuffle(jobs, new Random(order.nextLong()));
            Map<String, Measurement[]> measured = new LinkedHashMap<>();
            for (String[] job : jobs) {
                Version v = versions.get(job[0])[Integer.parseInt(job[1])];
                Measurement m = run(job[0], v, rates.get(job[0]));
                measured.computeIfAbsent(job[0], k -> new Measurement[2])[Integer.parseInt(job[1])] = m;
            }
            for (var e : measured.entrySet()) {
                Measurement b = e.getValue()[0];
                Measurement c = e.getValue()[1];
                Map<String, List<double[]>> byMetric = pairs.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
                for (String metric : METRICS) {
                    byMetric.computeIfAbsent(metric, k -> new ArrayList<>()).add(new double[] {b.metric(metric), c.metric(metric)});
                }
            }
            results = analyse(pairs);
            Map<String, Map<String, PairedRatio.Result>> done = results;
            active = servers.stream().filter(s -> done.getOrDefault(s, Map.of()).values().stream()
                    .anyMatch(r -> r.verdict() == Verdict.INCONCLUSIVE)).toList();
            boolean more = round < rounds || (!active.isEmpty() && round < cap);
            if (round < rounds) {
                active = servers;
            }
            System.err.printf("check: round %d done (%s elapsed)%s%n", round,
                    echolab.bench.run.Progress.format((System.nanoTime() - started) / 1e9),
                    more && round >= rounds ? "; inconclusive, one more round for " + String.join(", ", active) : "");
            if (!more) {
                break;
            }
        }

        String table = table(baseRev, baseSha, pairs, results);
        System.out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        boolean failed = results.values().stream().flatMap(m -> m.values().stream()).anyMatch(r -> r.verdict() == Verdict.FAIL);
        if (json != null) {
            writeJson(baseRev, baseSha, round, pairs, results, failed);
        }
        return failed ? 1 : 0;
    }

    // ---- building the base ------------------------------------------------------------------------

    private String defaultBase() {
        String branch = Environment.git(root, "rev-parse", "--abbrev-ref", "HEAD");
        String head = Environment.git(root, "rev-parse", "HEAD");
        String main = Environment.git(root, "rev-parse", "--verify", "main");
        if ("main".equals(branch) || (head != null && head.equals(main)) || main == null) {
            return "HEAD~1";
        }
        String mergeBase = Environment.git(root, "merge-base", "HEAD", "main");
        return mergeBase != null ? mergeBase : "HEAD~1";
    }

    /** A git worktree of the base under .check/, built once with Maven (the same JDK finds itself). */
    private Path buildBase(String sha) throws IOException, InterruptedException {
        Path dir = root.resolve(".check").resolve(sha);
        boolean built = servers.stream().allMatch(s -> Files.isRegularFile(jar(dir, s)));
        if (built) {
            return dir;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            exec(root, "git", "worktree", "add", "--detach", "--force", dir.toString(), sha);
        }
        List<String> modules = new ArrayList<>();
        for (String s : servers) {
            modules.add(s + "-echo");
        }
        System.err.println("check: building the base " + sha.substring(0, 12) + " in " + dir + " ...");
        exec(dir, "mvn", "-q", "-B", "-Dstyle.color=never", "-DskipTests", "-pl", String.join(",", modules), "-am", "package");
        for (String s : servers) {
            if (!Files.isRegularFile(jar(dir, s))) {
                throw new IOException("the base revision has no " + jar(dir, s) + " after building");
            }
        }
        return dir;
    }

    private static Path jar(Path tree, String server) {
        return tree.resolve(server + "-echo/target/" + server + "-echo.jar");
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    // ---- one measurement: a fresh JVM, closed loop, open loop, the stop summary --------------------

    private record Measurement(double throughput, double openP50Us, double openP99Us, double cpuUsPerMessage,
                               double allocBytesPerMessage, double threadsStarted) {
        double metric(String name) {
            return switch (name) {
                case "usPerMessage" -> 1e6 / throughput;
                case "openP50Us" -> openP50Us;
                case "openP99Us" -> openP99Us;
                case "cpuUsPerMessage" -> cpuUsPerMessage;
                case "allocBytesPerMessage" -> allocBytesPerMessage;
                case "threadsStarted" -> threadsStarted;
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    private Measurement run(String server, Version version, double openRate) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (serverCpus != null) {
            command.addAll(List.of("taskset", "-c", serverCpus));
        }
        command.add(java);
        command.addAll(ServerSpec.SERVER_JVM_FLAGS);
        command.addAll(version.extraFlags());
        command.addAll(List.of("-jar", jar(version.jarRoot(), server).toString(), "--port", "0"));
        int connections = server.equals("sync") ? 1 : 10;
        int size = 64;
        ServerProcess process = ServerProcess.start(command, 20_000);
        LoadResult closed;
        LoadResult open = null;
        try {
            closed = LoadGenerator.run(new LoadConfig("127.0.0.1", process.port(), connections, size, 1,
                    Duration.ofSeconds(1), duration, 0, Duration.ofSeconds(5), Duration.ofSeconds(5), 1));
            if (openRate > 0) {
                open = LoadGenerator.run(new LoadConfig("127.0.0.1", process.port(), connections, size, 1,
                        Duration.ofMillis(300), duration, openRate, Duration.ofSeconds(5), Duration.ofSeconds(5), 1));
            }
        } finally {
            process.close();
        }
        ServerProcess.Window window = process.window(closed.measureFromNanos(), closed.measureToNanos());
        if (!closed.ok() || closed.messages() == 0) {
            throw new IOException(version.label() + " " + server + ": the closed-loop run failed: " + closed.errors().first());
        }
        Matcher m = SUMMARY.matcher(process.stderr());
        double allocatedPerMessage = Double.NaN;              // NaN: this version's summary does not report it
        double threads = Double.NaN;
        if (m.find()) {
            double messages = Math.max(1, Long.parseLong(m.group(1)) / (double) size);
            allocatedPerMessage = Long.parseLong(m.group(2)) / messages;
            threads = Long.parseLong(m.group(3));
        }
        return new Measurement(closed.messagesPerSecond(),
                open == null ? 0 : open.latency().p50(), open == null ? 0 : open.latency().p99(),
                window.cpuSeconds() * 1e6 / closed.messages(), allocatedPerMessage, threads);
    }

    // ---- statistics and output ----------------------------------------------------------------------

    private Map<String, Map<String, PairedRatio.Result>> analyse(Map<String, Map<String, List<double[]>>> pairs) {
        Map<String, Map<String, PairedRatio.Result>> results = new LinkedHashMap<>();
        for (var server : pairs.entrySet()) {
            Map<String, PairedRatio.Result> byMetric = new LinkedHashMap<>();
            for (var metric : server.getValue().entrySet()) {
                if (metric.getValue().stream().anyMatch(p -> Double.isNaN(p[0]) || Double.isNaN(p[1]))) {
                    continue;                                  // an older base that does not report this metric
                }
                boolean counts = metric.getKey().equals("allocBytesPerMessage") || metric.getKey().equals("threadsStarted");
                double[] logs = metric.getValue().stream()
                        .mapToDouble(p -> counts ? PairedRatio.logRatioOfCounts(p[0], p[1]) : PairedRatio.logRatio(p[0], p[1]))
                        .toArray();
                byMetric.put(metric.getKey(), PairedRatio.analyse(logs, seed ^ (server.getKey() + metric.getKey()).hashCode()));
            }
            results.put(server.getKey(), byMetric);
        }
        return results;
    }

    private String table(String baseRev, String baseSha, Map<String, Map<String, List<double[]>>> pairs,
                         Map<String, Map<String, PairedRatio.Result>> results) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%n### echo-lab check: working tree vs %s (%s)%n%n", baseRev, baseSha.substring(0, 12)));
        s.append("Higher is worse for every metric. Base, candidate: medians over the rounds. Change: the mean paired "
                + "log-ratio as a percentage; interval: 99% bootstrap.\n\n");
        s.append("| server | metric | base | candidate | change | 99% interval | rounds | verdict |\n");
        s.append("|---|---|---:|---:|---:|---|---:|---|\n");
        for (var server : results.entrySet()) {
            for (var metric : server.getValue().entrySet()) {
                List<double[]> p = pairs.get(server.getKey()).get(metric.getKey());
                PairedRatio.Result r = metric.getValue();
                s.append(String.format("| %s | %s | %s | %s | %+.1f%% | %+.1f%% to %+.1f%% | %d | %s |%n",
                        server.getKey(), metric.getKey(), fmt(median(p, 0)), fmt(median(p, 1)),
                        100 * r.change(), 100 * r.low(), 100 * r.high(), r.rounds(),
                        r.verdict() == Verdict.FAIL ? "**FAIL**" : r.verdict().name()));
            }
        }
        for (var server : pairs.entrySet()) {
            for (String metric : server.getValue().keySet()) {
                if (!results.get(server.getKey()).containsKey(metric)) {
                    s.append(String.format("| %s | %s | | | | | | n/a: not reported by one of the versions |%n", server.getKey(), metric));
                }
            }
        }
        boolean failed = results.values().stream().flatMap(m -> m.values().stream()).anyMatch(r -> r.verdict() == Verdict.FAIL);
        long open = inconclusive(results);
        s.append(String.format("%nGate: %s%s%n", failed ? "**FAIL**" : "pass", open == 0 ? ""
                : String.format(" (%d inconclusive: their intervals reach above +10%%; a higher --rounds narrows them)", open)));
        return s.toString();
    }

    private static long inconclusive(Map<String, Map<String, PairedRatio.Result>> results) {
        return results.values().stream().flatMap(m -> m.values().stream())
                .filter(r -> r.verdict() == Verdict.INCONCLUSIVE).count();
    }

    private static double median(List<double[]> pairs, int side) {
        double[] v = pairs.stream().mapToDouble(p -> p[side]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }

    private void writeJson(String baseRev, String baseSha, int roundsRun, Map<String, Map<String, List<double[]>>> pairs,
                           Map<String, Map<String, PairedRatio.Result>> results, boolean failed) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema", "echo-lab/check");
        out.put("schemaVersion", 1);
        out.put("base", Map.of("revision", baseRev, "commit", baseSha));
        out.put("candidate", Map.of("commit", String.valueOf(Environment.git(root, "rev-parse", "HEAD")),
                "dirty", !String.valueOf(Environment.git(root, "status", "--porcelain", "--untracked-files=no")).isBlank()));
        out.put("seed", seed);
        out.put("rounds", roundsRun);
        out.put("injectedSlowdownPercent", injectSlowdown);
        out.put("thresholds", Map.of("threshold", PairedRatio.THRESHOLD, "failEstimate", PairedRatio.FAIL_ESTIMATE,
                "confidence", PairedRatio.CONFIDENCE, "resamples", PairedRatio.RESAMPLES));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var server : results.entrySet()) {
            for (var metric : server.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("server", server.getKey());
                row.put("metric", metric.getKey());
                row.put("pairs", pairs.get(server.getKey()).get(metric.getKey()));
                row.put("change", metric.getValue().change());
                row.put("low", metric.getValue().low());
                row.put("high", metric.getValue().high());
                row.put("verdict", metric.getValue().verdict().name());
                rows.add(row);
            }
        }
        out.put("results", rows);
        out.put("verdict", failed ? "FAIL" : "PASS");                    // the gate: PASS also when some are inconclusive
        out.put("inconclusive", inconclusive(results));
        out.put("environment", Environment.describe(root, serverCpus, null, serverCpus != null));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
    }
}
