package echolab.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import echolab.bench.Durations;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./echolab load}: drive one echo server and report what it measured. */
@Command(name = "load", sortOptions = false, usageHelpAutoWidth = true,
        description = "Drive an echo server and measure it: throughput, latency percentiles (HdrHistogram), errors. "
            + "Closed loop by default (send, wait for the whole echo, send again); --rate R makes it open loop, "
            + "with latency measured from each message's planned send time (coordinated omission corrected). "
            + "Every echoed byte is checked against what was sent. Before the warm-up each connection is echoed "
            + "once (the ramp-up, bounded by --ramp-up), so measuring starts with every connection served.",
        footer = {"", "Example: ./echolab load --port 7007 --connections 100 --size 64 --duration 10s",
            "Exit status: 0 no errors, 1 errors or connections that could not be opened, 2 bad usage."})
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


    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        try {
            config = new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, rate,
                    connectTimeout, responseTimeout, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.err.printf("load: %s loop against %s:%d, %d connections x %d B, warm-up %s, measuring %s ...%n",
                config.openLoop() ? "open" : "closed", host, port, connections, size,
                Durations.format(warmup), Durations.format(duration));
        LoadResult result = LoadGenerator.run(config);
        System.out.print(result.report().text());
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result.report());
        }
        if (hgrm != null) {
            Files.writeString(hgrm, LoadResult.hgrm(result.corrected()), StandardCharsets.UTF_8);
            if (config.openLoop()) {
                Files.writeString(Path.of(hgrm + ".uncorrected.hgrm"), LoadResult.hgrm(result.uncorrected()), StandardCharsets.UTF_8);
            }
        }
        return result.ok() ? 0 : 1;
    }
}
