package echolab.bench.run;

import java.time.Duration;
import java.util.List;

/**
 * How much a bench run measures: quick (under a minute), default (under 4), full (under 20).
 * {@code firstWarmup} warms a freshly started server; {@code rounds} is how often the reference point
 * (100 connections x 64 B) is measured, interleaved across servers; the main table shows the median.
 */
record Profile(String name, List<Integer> connections, List<Integer> sizes, Duration firstWarmup, Duration warmup, Duration duration,
               int openLoopConnections, Duration openLoopDuration, int idleConnections, Duration scaleDuration,
               boolean capacity, int rounds) {

    static final List<String> NAMES = List.of("quick", "default", "full");

    static Profile named(String name) {
        return switch (name) {
            case "quick" -> new Profile("quick", List.of(10, 100), List.of(64), Duration.ofSeconds(1),
                    Duration.ofMillis(200), Duration.ofMillis(700), 100, Duration.ofMillis(800), 200, Duration.ofMillis(500), false, 1);
            case "default" -> new Profile("default", List.of(1, 10, 100, 1000), List.of(64, 4096), Duration.ofMillis(2500),
                    Duration.ofMillis(500), Duration.ofMillis(1500), 100, Duration.ofSeconds(3), 1000, Duration.ofSeconds(2), true, 3);
            case "full" -> new Profile("full", List.of(1, 10, 100, 1000), List.of(64, 4096), Duration.ofSeconds(5),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 100, Duration.ofSeconds(10), 10_000, Duration.ofSeconds(5), true, 5);
            default -> throw new IllegalArgumentException("unknown profile '" + name + "'; choose one of " + String.join(", ", NAMES));
        };
    }
}
