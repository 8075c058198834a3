package echolab.bench.load;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import echolab.common.Framing;

import echolab.bench.base.Json;
import echolab.bench.base.RunOutput;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import echolab.bench.base.Durations;

/**
 * {@code load}: drive one echo server from this machine and report what it measured; with {@code --agent}, one
 * host's share of a load from several hosts, speaking JSON lines ({@link Agent}). What a load host runs, alone in
 * this module's jar ({@link LoadMain}); {@code ./echolab load} adds {@code --load-hosts} on top of it.
 */
@Command(name = "load", sortOptions = false, usageHelpAutoWidth = true,
        description = "Drive an echo server and measure it: throughput, latency percentiles (HdrHistogram), errors. "
            + "Closed loop by default (send, wait for the whole echo, send again); --rate R makes it open loop, "
            + "with latency measured from each message's planned send time (coordinated omission corrected). "
            + "Every echoed byte is checked against what was sent. Before the warm-up each connection is echoed "
            + "once (the ramp-up, bounded by --ramp-up), so measuring starts with every connection served.",
        footer = {"", "Example:",
            "  java -jar echo-load.jar --port 7007 --connections 100 --size 64 --duration 10s",
            "Exit status: 0 no errors; 1 errors or connections not opened; 2 bad usage."})
public class LoadCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    protected String host;

    @Option(names = "--port", defaultValue = "7007", description = "Server port (default: ${DEFAULT-VALUE}).")
    protected int port;

    @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "Connections (default: ${DEFAULT-VALUE}).")
    protected int connections;

    @Option(names = {"-s", "--size"}, defaultValue = "64", description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    protected int size;

    @Option(names = {"-p", "--pipeline"}, defaultValue = "1",
            description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
    protected int pipeline;

    @Option(names = "--terminator", paramLabel = "BYTES",
            description = "Messages for a line server (PROTOCOL.md): each ends with these bytes (escapes \\n, \\r, \\t, \\\\, \\xHH) "
                    + "and holds none of them before; with --pipeline K, K messages go in one write. A server whose messages "
                    + "are a byte count needs no terminator: --size is the count.")
    protected String terminator;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = Durations.class,
            description = "Measured time, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
    protected Duration duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "2s", converter = Durations.class,
            description = "Unmeasured time before it (default: ${DEFAULT-VALUE}).")
    protected Duration warmup;

    @Option(names = {"-r", "--rate"}, defaultValue = "0",
            description = "Open loop: messages per second over all connections (default: closed loop).")
    protected double rate;

    @Option(names = "--threads", defaultValue = "1", description = "Generator event-loop threads (default: ${DEFAULT-VALUE}).")
    protected int threads;

    @Option(names = "--ramp-up", defaultValue = "5s", converter = Durations.class,
            description = "At most this long, before the warm-up, for every connection's first echo (default: ${DEFAULT-VALUE}).")
    protected Duration rampUp;

    @Option(names = "--connect-timeout", defaultValue = "5s", converter = Durations.class,
            description = "Give up on a connection after this (default: ${DEFAULT-VALUE}).")
    protected Duration connectTimeout;

    @Option(names = "--response-timeout", defaultValue = "5s", converter = Durations.class,
            description = "A connection waiting this long for an echo is timed out (default: ${DEFAULT-VALUE}).")
    protected Duration responseTimeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write everything reported as JSON.")
    protected Path json;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write HdrHistogram's percentile distribution (open loop: also FILE.uncorrected.hgrm).")
    protected Path hgrm;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log of the measured window: one "
            + "histogram per second, the corrected latency untagged (what HdrHistogram's HistogramLogProcessor reads) and, open "
            + "loop, the uncorrected tagged uncorrected; from several hosts, the merged seconds so and each host's own (tags "
            + "HOST.corrected, ...).")
    protected Path hlog;

    @Option(names = "--group", paramLabel = "NAME", description = "Name this generator's connections in the interval log's tags "
            + "(NAME.corrected, NAME.uncorrected): a part of a larger load, whose merged log holds the untagged primary.")
    protected String group;

    @Option(names = "--agent", hidden = true, description = "Run as another tool's agent: one host's generator for --load-hosts, "
            + "or with --hold the connection ladder's (speaks JSON lines).")
    protected boolean agent;

    @Option(names = "--hold", hidden = true, description = "With --agent: hold connections as the connection ladder asks, on stdin.")
    boolean hold;

    @Option(names = "--source", paramLabel = "ADDR", hidden = true,
            description = "With --hold: connect from this local address (default: the one the kernel picks).")
    String source;


    @Override
    public Integer call() throws Exception {
        if (hold && !agent) {
            throw new ParameterException(spec.commandLine(), "--hold is a mode of --agent");
        }
        LoadConfig config = config();
        if (hold) {
            return Hold.serve(new InetSocketAddress(host, port), source == null ? null : new InetSocketAddress(source, 0), size,
                    config.terminator());
        }
        if (agent) {
            return Agent.run(config, group);
        }
        checkOutputFolders();
        System.err.printf("load: %s loop against %s:%d, %d connections x %d B%s, warm-up %s, measuring %s ...%n",
                config.openLoop() ? "open" : "closed", host, port, connections, size,
                terminator == null ? "" : " ending in " + terminator,
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

    /** The load the options describe; a usage error naming what is wrong. */
    protected final LoadConfig config() {
        try {
            return new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, rate,
                    connectTimeout, responseTimeout, threads, Optional.ofNullable(terminator).map(Framing.Terminator::parse));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Every output file named has a folder to go in: a usage error before anything is measured. */
    protected final void checkOutputFolders() {
        for (Path file : new Path[] {json, hgrm, hlog}) {
            if (file != null && file.toAbsolutePath().getParent() != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
                throw new ParameterException(spec.commandLine(), "no folder for " + file);
            }
        }
    }
}
