package echolab.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;


import echolab.bench.load.IntervalLog;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import echolab.bench.remote.Agent;
import echolab.bench.remote.HostOptions;
import echolab.bench.remote.RemoteLoad;
import echolab.bench.results.Json;
import echolab.bench.results.RunOutput;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./echolab load}: drive one echo server and report what it measured, from this machine or, with
 * {@code --load-hosts}, from generators on other hosts started over ssh ({@link RemoteLoad}).
 */
@Command(name = "load", sortOptions = false, usageHelpAutoWidth = true,
        description = "Drive an echo server and measure it: throughput, latency percentiles (HdrHistogram), errors. "
            + "Closed loop by default (send, wait for the whole echo, send again); --rate R makes it open loop, "
            + "with latency measured from each message's planned send time (coordinated omission corrected). "
            + "Every echoed byte is checked against what was sent. Before the warm-up each connection is echoed "
            + "once (the ramp-up, bounded by --ramp-up), so measuring starts with every connection served. "
            + "With --load-hosts the load comes from echo-lab's generator on each of those hosts instead (over ssh, "
            + "key-based), each with its share of the connections and the rate, all starting at one instant; their "
            + "counts are summed and their latency histograms merged second by second.",
        footer = {"", "Examples:",
            "  ./echolab load --port 7007 --connections 100 --size 64 --duration 10s",
            "  ./echolab load --host 10.0.0.5 --port 7007 --connections 2000 \\",
            "      --rate 200000 --load-hosts gen1,gen2 --hlog all.hlog",
            "Exit status: 0 no errors; 1 errors, connections not opened, or a host's",
            "share missing; 2 bad usage, or a host that cannot take part (named, with",
            "what to do)."})
public final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7007", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-s", "--size"}, defaultValue = "64", description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-p", "--pipeline"}, defaultValue = "1",
            description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = Durations.class,
            description = "Measured time, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "2s", converter = Durations.class,
            description = "Unmeasured time before it (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = {"-r", "--rate"}, defaultValue = "0",
            description = "Open loop: messages per second over all connections (default: closed loop).")
    double rate;

    @Option(names = "--threads", defaultValue = "1", description = "Generator event-loop threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--ramp-up", defaultValue = "5s", converter = Durations.class,
            description = "At most this long, before the warm-up, for every connection's first echo (default: ${DEFAULT-VALUE}).")
    Duration rampUp;

    @Option(names = "--connect-timeout", defaultValue = "5s", converter = Durations.class,
            description = "Give up on a connection after this (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--response-timeout", defaultValue = "5s", converter = Durations.class,
            description = "A connection waiting this long for an echo is timed out (default: ${DEFAULT-VALUE}).")
    Duration responseTimeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write everything reported as JSON.")
    Path json;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write HdrHistogram's percentile distribution (open loop: also FILE.uncorrected.hgrm).")
    Path hgrm;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log of the measured window: one "
            + "histogram per second, tagged corrected and (open loop) uncorrected; from several hosts, the merged seconds and "
            + "each host's own (tags HOST.corrected, ...).")
    Path hlog;

    @Option(names = "--group", paramLabel = "NAME", description = "Name this generator's connections in the interval log's tags "
            + "(NAME.corrected, ...).")
    String group;

    @picocli.CommandLine.Mixin
    HostOptions hosts;

    @Option(names = "--agent", hidden = true, description = "Run as one host's generator for --load-hosts (speaks JSON lines).")
    boolean agent;

    @picocli.CommandLine.Mixin
    Checkout checkout;


    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        try {
            config = new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, rate,
                    connectTimeout, responseTimeout, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (agent) {
            return Agent.run(config, group);
        }
        for (Path file : new Path[] {json, hgrm, hlog}) {
            if (file != null && file.toAbsolutePath().getParent() != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
                throw new ParameterException(spec.commandLine(), "no folder for " + file);
            }
        }
        if (hosts.loadFromHosts()) {
            return fromHosts(config);
        }
        System.err.printf("load: %s loop against %s:%d, %d connections x %d B, warm-up %s, measuring %s ...%n",
                config.openLoop() ? "open" : "closed", host, port, connections, size,
                Durations.format(warmup), Durations.format(duration));
        IntervalLog log = hlog == null ? null : new IntervalLog(group, config.openLoop());
        LoadResult result = LoadGenerator.run(config, new LoadGenerator.Options(log, null));
        if (log != null) {
            RunOutput.write(hlog, true, "--hlog", into -> Files.writeString(into, log.text()));
        }
        var report = hlog == null ? result.report() : result.report().withHlog(hlog.toString());
        System.out.print(report.text());
        if (json != null) {
            RunOutput.write(json, true, "--json", into -> Json.PRETTY.writeValue(into.toFile(), report));
        }
        if (hgrm != null) {
            RunOutput.write(hgrm, true, "--hgrm", into -> Files.writeString(into, LoadResult.hgrm(result.corrected()), StandardCharsets.UTF_8));
            if (config.openLoop()) {
                RunOutput.write(Path.of(hgrm + ".uncorrected.hgrm"), true, "--hgrm",
                        into -> Files.writeString(into, LoadResult.hgrm(result.uncorrected()), StandardCharsets.UTF_8));
            }
        }
        return result.ok() ? 0 : 1;
    }

    private int fromHosts(LoadConfig config) throws Exception {
        if (hgrm != null) {
            throw new ParameterException(spec.commandLine(), "--hgrm is for one generator; from several hosts, --hlog keeps every "
                    + "second of every host, merged and each its own");
        }
        RemoteLoad.Hosts from = hosts.loadHosts(checkout.root());
        System.err.printf("load: %s loop against %s:%d from %s (%s), %d connections x %d B in all, warm-up %s, measuring %s ...%n",
                config.openLoop() ? "open" : "closed", host, port, RemoteLoad.hosts(from.names().size()), String.join(", ", from.names()),
                connections, size, Durations.format(warmup), Durations.format(duration));
        RemoteLoad.Outcome outcome;
        try {
            outcome = RemoteLoad.run(config, RemoteLoad.prepare(from));
        } catch (RemoteLoad.Unusable e) {
            e.getMessage().lines().forEach(l -> System.err.println("load: " + l));
            return 2;
        }
        RemoteLoad.Report r = outcome.report();
        for (RemoteLoad.Share s : r.hosts()) {
            System.out.println(s.report() == null
                    ? String.format("host %-12s %5d connections: MISSING: %s", s.host(), s.connections(), s.problem())
                    : String.format("host %-12s %5d connections: %,.0f msg/s, p99 %.0f us, clock %+.2f ms (±%.2f), ready after %.1f s",
                            s.host(), s.connections(), s.report().messagesPerSecond(), s.report().latencyMicros().p99(),
                            s.clockOffsetMillis(), s.clockUncertaintyMillis(), s.readySeconds()));
        }
        if (r.merged() != null) {
            System.out.println((r.partial() ? "merged, PARTIAL: " : "merged: ") + r.merged().text().stripTrailing());
        }
        r.warnings().forEach(w -> System.out.println("warning: " + w));
        if (json != null) {
            RunOutput.write(json, true, "--json", into -> Json.PRETTY.writeValue(into.toFile(), r));
        }
        if (hlog != null && outcome.hlog() != null) {
            RunOutput.write(hlog, true, "--hlog", into -> Files.writeString(into, outcome.hlog(), StandardCharsets.UTF_8));
        }
        return outcome.exitStatus();
    }
}
