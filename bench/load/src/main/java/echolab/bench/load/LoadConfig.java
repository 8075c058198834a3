package echolab.bench.load;

import java.time.Duration;
import java.util.Optional;

import echolab.common.Framing;

/**
 * One load-generator run, with named fields and defaults: start from {@link #defaults()} and change
 * what differs, e.g. {@code LoadConfig.defaults().withPort(7007).withConnections(100).withRate(20_000)}.
 *
 * @param rate messages per second over all connections together; 0 means closed loop
 * @param threads event-loop threads in the generator (connections are split among them)
 * @param terminator for a line server, the bytes each message ends with (and holds nowhere else); empty for the
 *                   echo of a stream. A server whose messages are a byte count needs none: {@code size} is the count.
 * @param rampUp the longest wait, after connecting, for every connection's first echo; the warm-up
 *               starts once all have answered once or this has passed
 */
public record LoadConfig(String host, int port, int connections, int size, int pipeline,
                         Duration rampUp, Duration warmup, Duration duration, double rate,
                         Duration connectTimeout, Duration responseTimeout, int threads, Optional<Framing.Terminator> terminator) {

    public LoadConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0 to 65535");
        if (connections < 1) throw new IllegalArgumentException("--connections must be at least 1");
        if (size < 1 || size > 1 << 20) throw new IllegalArgumentException("--size must be 1 byte to 1 MiB");
        if (pipeline < 1 || pipeline > 4096) throw new IllegalArgumentException("--pipeline must be 1 to 4096");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive");
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative");
        if (rampUp.isNegative()) throw new IllegalArgumentException("--ramp-up must not be negative");
        if (rate < 0) throw new IllegalArgumentException("--rate must not be negative");
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("--threads must be 1 to the number of connections");
        }
        if (terminator.isPresent() && (size <= terminator.get().bytes().length || size > Framing.MAX_MESSAGE)) {
            throw new IllegalArgumentException("--size must be more than the terminator's " + terminator.get().bytes().length
                    + " bytes and at most a line server's bound, " + Framing.MAX_MESSAGE + " bytes, for messages that end with it");
        }
    }

    /** 100 connections of 64-byte messages on 127.0.0.1:7007, closed loop, 2 s warm-up, 10 s measured. */
    public static LoadConfig defaults() {
        return new LoadConfig("127.0.0.1", 7007, 100, 64, 1, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 0, Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Optional.empty());
    }

    public boolean openLoop() {
        return rate > 0;
    }

    public LoadConfig withPipeline(int v) {
        return new LoadConfig(host, port, connections, size, v, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withHost(String v) {
        return new LoadConfig(v, port, connections, size, pipeline, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withPort(int v) {
        return new LoadConfig(host, v, connections, size, pipeline, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withConnections(int v) {
        return new LoadConfig(host, port, v, size, pipeline, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withSize(int v) {
        return new LoadConfig(host, port, connections, v, pipeline, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withRampUp(Duration v) {
        return new LoadConfig(host, port, connections, size, pipeline, v, warmup, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withWarmup(Duration v) {
        return new LoadConfig(host, port, connections, size, pipeline, rampUp, v, duration, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withDuration(Duration v) {
        return new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, v, rate, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withRate(double v) {
        return new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, v, connectTimeout, responseTimeout, threads, terminator);
    }

    public LoadConfig withConnectTimeout(Duration v) {
        return new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, rate, v, responseTimeout, threads, terminator);
    }

    /** Messages for a line server: each ends with {@code v} (PROTOCOL.md, "Messages over the stream"); empty: a plain stream. */
    public LoadConfig withTerminator(Optional<Framing.Terminator> v) {
        return new LoadConfig(host, port, connections, size, pipeline, rampUp, warmup, duration, rate, connectTimeout, responseTimeout, threads, v);
    }
}
