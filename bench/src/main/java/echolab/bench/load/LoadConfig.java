package echolab.bench.load;

import java.time.Duration;

/**
 * One load-generator run.
 *
 * @param rate messages per second over all connections together; 0 means closed loop
 * @param threads event-loop threads in the generator (connections are split among them)
 */
public record LoadConfig(String host, int port, int connections, int size, int pipeline,
                         Duration warmup, Duration duration, double rate,
                         Duration connectTimeout, Duration responseTimeout, int threads) {

    public LoadConfig {
        if (connections < 1) throw new IllegalArgumentException("--connections must be at least 1");
        if (size < 1 || size > 1 << 20) throw new IllegalArgumentException("--size must be 1 byte to 1 MiB");
        if (pipeline < 1 || pipeline > 4096) throw new IllegalArgumentException("--pipeline must be 1 to 4096");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--duration must be positive");
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative");
        if (rate < 0) throw new IllegalArgumentException("--rate must not be negative");
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("--threads must be 1 to the number of connections");
        }
    }

    public boolean openLoop() {
        return rate > 0;
    }

    public LoadConfig withWarmup(Duration newWarmup) {
        return new LoadConfig(host, port, connections, size, pipeline, newWarmup, duration, rate,
                connectTimeout, responseTimeout, threads);
    }

    public LoadConfig withPort(int newPort) {
        return new LoadConfig(host, newPort, connections, size, pipeline, warmup, duration, rate,
                connectTimeout, responseTimeout, threads);
    }
}
