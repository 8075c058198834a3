package echolab.bench.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.base.Durations;
import echolab.bench.harness.Machine;
import echolab.bench.harness.Ssh;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadReport;
import echolab.bench.load.LoadResult;
import echolab.bench.load.Agent;

/**
 * Load from several hosts against one server, each host running echo-lab's own generator ({@link Agent}) over
 * ssh. Before anything starts, every host is probed in one session ({@link HostProbe}: the checkout, its
 * commit, the clock offset), and a host that cannot take part ends the run with one line naming it and what
 * to do (exit 2). Then each host gets its share of the connections and of the rate, connects and ramps up;
 * once all are ready they are given one start instant, each on its own clock. At the end their reports
 * and interval logs are merged ({@link MergedLoad}); a host that failed or went silent is named and its share
 * marked missing, never dropped silently. Every remote generator runs under {@code timeout} and ends when its
 * ssh session does; every ssh session ends with this process.
 */
public final class RemoteLoad {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration READY_ALLOWANCE = Duration.ofSeconds(30);      // a JVM's start and the connections
    private static final Duration START_MARGIN = Duration.ofMillis(300);

    /** Where the hosts are and how to reach them. */
    public record Hosts(List<String> names, Ssh ssh, String remoteDir, Path localRoot) {
    }

    /** One host's share and what became of it. */
    public record Share(String host, int connections, Double rate, String status, String problem, double clockOffsetMillis,
                        double clockUncertaintyMillis, double sshSessionSeconds, Double readySeconds, LoadReport report) {
    }

    /**
     * Everything a load from several hosts measured: the merged report (null when no host reported), whether
     * a host's share is missing from it, each host's share, how far apart the hosts' windows began on this
     * machine's clock, and warnings (a skew too large for the intervals, a saturated generator).
     */
    public record Report(String what, LoadReport merged, boolean partial, List<Share> hosts, Double startSpreadMillis,
                         List<String> warnings) {
    }

    /**
     * The outcome: the report, the merged interval log's text, the exit status, and the merged load as one run
     * measured here would give it (its window on this JVM's clock), or null when no host reported.
     */
    public record Outcome(Report report, String hlog, int exitStatus, LoadResult result) {
    }

    /** Hosts probed and found ready to take part: what every run from them starts from. */
    public record Prepared(Hosts hosts, Map<String, HostProbe> probes) {
    }

    /** A host that cannot take part; the message is one line naming it and what to do. */
    public static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private RemoteLoad() {
    }

    /**
     * Probes every host (in parallel): a host that cannot take part is an {@link Unusable} naming each such host and
     * what to do, before anything starts.
     */
    public static Prepared prepare(Hosts hosts) throws Unusable, IOException, InterruptedException {
        Map<String, HostProbe> probes = probe(hosts);
        String local = Machine.git(hosts.localRoot(), "rev-parse", "HEAD");    // null: not compared
        List<String> problems = new ArrayList<>();
        for (HostProbe p : probes.values()) {
            if (p.problem() != null) {
                problems.add("host " + p.host() + ": " + p.problem());
            } else if (local != null && !local.equals(p.commit())) {
                problems.add("host " + p.host() + ": echo-lab there is at commit " + p.commit() + ", this one at " + local
                        + ": run (cd " + hosts.remoteDir() + " && git fetch && git checkout " + local + " && mvn -q install -DskipTests) there");
            }
        }
        if (!problems.isEmpty()) {
            throw new Unusable(String.join("\n", problems));
        }
        System.err.printf("load: %s ready for ssh; clock offsets %s%n", hosts(probes.size()), String.join(", ", probes.values().stream()
                .map(p -> String.format("%s %+.2f ms (±%.2f)", p.host(), p.offsetMillis(), p.uncertaintyMillis())).toList()));
        return new Prepared(hosts, probes);
    }

    /** One load from the prepared hosts, each with its share. */
    public static Outcome run(LoadConfig config, Prepared prepared) throws Unusable, IOException, InterruptedException {
        Hosts hosts = prepared.hosts();
        Map<String, HostProbe> probes = prepared.probes();
        if (hosts.names().size() > config.connections()) {
            throw new Unusable(hosts(hosts.names().size()) + " for " + config.connections() + " connections: each host needs at least one");
        }

        List<Generator> generators = new ArrayList<>();
        try {
            int k = hosts.names().size();
            for (int i = 0; i < k; i++) {
                int share = config.connections() / k + (i < config.connections() % k ? 1 : 0);
                Double rate = config.openLoop() ? config.rate() * share / config.connections() : null;
                generators.add(Generator.start(hosts, probes.get(hosts.names().get(i)), config, share, rate));
            }
            long readyBy = System.nanoTime() + config.connectTimeout().plus(config.rampUp()).plus(READY_ALLOWANCE).toNanos();
            for (Generator g : generators) {
                if (!g.awaitReady(readyBy)) {
                    throw new Unusable("host " + g.host + ": its generator did not get ready: " + g.problem());
                }
            }
            double slowestTrip = probes.values().stream().mapToDouble(HostProbe::uncertaintyMillis).max().orElse(0) * 2;
            long startEpochMillis = System.currentTimeMillis() + START_MARGIN.toMillis() + Math.round(2 * slowestTrip);
            for (Generator g : generators) {
                g.start(startEpochMillis + Math.round(g.probe.offsetMillis()));
            }
            long doneBy = System.nanoTime() + Duration.ofMillis(Math.max(0, startEpochMillis - System.currentTimeMillis()))
                    .plus(config.warmup()).plus(config.duration()).plus(config.responseTimeout()).plus(Duration.ofSeconds(20)).toNanos();
            for (Generator g : generators) {
                g.awaitResult(doneBy);
            }
            return outcome(config, generators);
        } finally {
            for (Generator g : generators) {
                g.close();
            }
        }
    }

    /** "1 host", "2 hosts". */
    public static String hosts(int n) {
        return n + (n == 1 ? " host" : " hosts");
    }

    private static Map<String, HostProbe> probe(Hosts hosts) throws InterruptedException, IOException {
        Map<String, HostProbe> probes = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<HostProbe>> futures = new LinkedHashMap<>();
            for (String h : hosts.names()) {
                futures.put(h, pool.submit(() -> HostProbe.of(hosts.ssh(), h, hosts.remoteDir(), PROBE_TIMEOUT)));
            }
            for (Map.Entry<String, Future<HostProbe>> f : futures.entrySet()) {
                try {
                    probes.put(f.getKey(), f.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("probing " + f.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
        return probes;
    }

    private static Outcome outcome(LoadConfig config, List<Generator> generators) {
        List<MergedLoad.Part> parts = new ArrayList<>();
        List<Share> shares = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Generator g : generators) {
            Agent.Result r = g.result;
            String problem = r == null ? g.problem() : null;
            shares.add(new Share(g.host, g.connections, g.rate, r == null ? "missing" : r.report().ok() ? "ok" : "errors",
                    problem, g.probe.offsetMillis(), g.probe.uncertaintyMillis(), g.probe.sessionSeconds(), g.readySeconds,
                    r == null ? null : r.report()));
            if (r == null) {
                warnings.add(String.format("host %s: its share (%d connections%s) is missing: %s", g.host, g.connections,
                        g.rate == null ? "" : String.format(", %,.0f msg/s", g.rate), problem));
                continue;
            }
            parts.add(new MergedLoad.Part(g.host, r.report(), r.hlog(), g.probe.offsetMillis()));
            if (r.report().generator().generatorBound()) {
                warnings.add(String.format("host %s: its generator was saturated (busiest thread %.0f%% busy): its share measured "
                        + "the generator, not the server", g.host, 100 * r.report().generator().busiestThreadLoad()));
            }
        }
        Double spread = null;
        MergedLoad.Merged merged = null;
        if (!parts.isEmpty()) {
            merged = MergedLoad.of(parts);
            List<Long> starts = parts.stream().map(p -> p.report().windowStartEpochMillis() - Math.round(p.offsetMillis())).toList();
            spread = (double) (starts.stream().mapToLong(Long::longValue).max().orElse(0) - starts.stream().mapToLong(Long::longValue).min().orElse(0));
            double uncertainty = generators.stream().mapToDouble(g -> g.probe.uncertaintyMillis()).max().orElse(0);
            if (spread > 100 || uncertainty > 100) {
                warnings.add(String.format("the hosts' windows began %.0f ms apart (clock uncertainty up to ±%.0f ms): too far for 1 s "
                        + "intervals, so each merged second mixes neighbouring seconds of the hosts", spread, uncertainty));
            }
        }
        boolean partial = parts.size() < generators.size();
        Report report = new Report("load from " + hosts(generators.size()) + (partial ? ", partial" : ""),
                merged == null ? null : merged.report(), partial, shares, spread, warnings);
        boolean ok = !partial && merged != null && merged.report().ok();
        LoadResult result = null;
        if (merged != null) {
            long from = System.nanoTime() - (System.currentTimeMillis() - merged.commonStartEpochMillis()) * 1_000_000L;
            result = new LoadResult(config, merged.report(), merged.corrected(), merged.uncorrected(), from, from + config.duration().toNanos());
        }
        return new Outcome(report, merged == null ? null : merged.hlog(), ok ? 0 : 1, result);
    }

    /** One host's generator: its ssh session, what it said, and when. */
    private static final class Generator {
        final String host;
        final HostProbe probe;
        final int connections;
        final Double rate;
        final Session session;
        final long startedNanos = System.nanoTime();
        Double readySeconds;
        Agent.Result result;

        private Generator(String host, HostProbe probe, int connections, Double rate, Session session) {
            this.host = host;
            this.probe = probe;
            this.connections = connections;
            this.rate = rate;
            this.session = session;
        }

        static Generator start(Hosts hosts, HostProbe probe, LoadConfig c, int connections, Double rate) throws IOException {
            long limit = c.connectTimeout().plus(c.rampUp()).plus(READY_ALLOWANCE).plus(c.warmup()).plus(c.duration())
                    .plus(c.responseTimeout()).plus(Duration.ofSeconds(60)).toSeconds();
            List<String> args = new ArrayList<>(List.of("./echolab", "load", "--agent", "--group", probe.host(), "--host", c.host(),
                    "--port", String.valueOf(c.port()), "--connections", String.valueOf(connections), "--size", String.valueOf(c.size()),
                    "--pipeline", String.valueOf(c.pipeline()), "--duration", Durations.format(c.duration()),
                    "--warmup", Durations.format(c.warmup()), "--ramp-up", Durations.format(c.rampUp()),
                    "--connect-timeout", Durations.format(c.connectTimeout()), "--response-timeout", Durations.format(c.responseTimeout()),
                    "--threads", String.valueOf(Math.min(c.threads(), connections))));
            if (rate != null) {
                args.addAll(List.of("--rate", String.valueOf(rate)));
            }
            c.terminator().ifPresent(t -> args.addAll(t.arguments()));
            String remote = "cd " + Ssh.quoted(hosts.remoteDir()) + " && exec timeout -k 5 " + limit + " "
                    + String.join(" ", args.stream().map(Ssh::quoted).toList());
            return new Generator(probe.host(), probe, connections, rate,
                    Session.start(hosts.ssh().command(probe.host(), remote), "agent-" + probe.host()));
        }

        boolean awaitReady(long deadline) throws InterruptedException {
            JsonNode ready = session.message(Agent.READY, deadline);
            if (ready == null) {
                return false;
            }
            readySeconds = (System.nanoTime() - startedNanos) / 1e9;
            return true;
        }

        void start(long epochMillis) throws IOException {
            session.send("start " + epochMillis);
        }

        void awaitResult(long deadline) throws InterruptedException {
            JsonNode r = session.message(Agent.RESULT, deadline);
            if (r == null && session.ended()) {
                session.process().waitFor(2, java.util.concurrent.TimeUnit.SECONDS);    // its exit status says how it ended
            }
            if (r != null) {
                try {
                    result = Agent.JSON.treeToValue(r, Agent.Result.class);
                } catch (IOException e) {
                    result = null;
                }
            }
        }

        /** Why this host's generator gave no result, in its own words where it has any. */
        String problem() {
            Process process = session.process();
            String words = session.stderr().strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
            if (process.isAlive()) {
                return "no answer in time" + (words.isEmpty() ? "" : " (it last said: " + words + ")");
            }
            int exit = process.exitValue();
            String how;
            if (exit == 255 && readySeconds == null) {
                return Ssh.whyNot(host, session.stderr());
            } else if (exit == 255 || exit == 137) {           // ssh says 255 for a remote command killed by a signal
                how = "its generator was killed, or its ssh session cut, mid-run (exit status " + exit + ")";
            } else if (exit == 124) {
                how = "its generator ran past its time limit and was stopped";
            } else {
                how = "its generator ended without a result (exit status " + exit + ")";
            }
            return how + (words.isEmpty() ? "" : "; it last said: " + words);
        }

        void close() throws InterruptedException {
            session.close();                                 // the remote generator sees its session end and stops
        }
    }
}
