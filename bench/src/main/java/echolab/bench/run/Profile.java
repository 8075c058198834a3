package echolab.bench.run;

import java.time.Duration;
import java.util.List;

/** How much a bench run measures: quick (about a minute), default (about 4), full (about 15). */
record Profile(String name, List<Integer> connections, List<Integer> sizes, Duration firstWarmup, Duration warmup, Duration duration,
               int openLoopConnections, Duration openLoopDuration, int idleConnections, Duration scaleDuration,
               boolean capacity) {

    static final List<String> NAMES = List.of("quick", "default", "full");

    static Profile named(String name) {
        return switch (name) {
            case "quick" -> new Profile("quick", List.of(10, 100), List.of(64), Duration.ofMillis(1500),
                    Duration.ofMillis(300), Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 200, Duration.ofSeconds(1), false);
            case "default" -> new Profile("default", List.of(1, 10, 100, 1000), List.of(64, 4096), Duration.ofSeconds(3),
                    Duration.ofMillis(500), Duration.ofSeconds(2), 100, Duration.ofSeconds(3), 1000, Duration.ofSeconds(2), true);
            case "full" -> new Profile("full", List.of(1, 10, 100, 1000), List.of(64, 4096), Duration.ofSeconds(5),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 100, Duration.ofSeconds(10), 10_000, Duration.ofSeconds(5), true);
            default -> throw new IllegalArgumentException("unknown profile '" + name + "'; choose one of " + NAMES);
        };
    }

    /** The reference point of the side-by-side tables: 100 connections of 64-byte messages. */
    static final int REFERENCE_CONNECTIONS = 100;
    static final int REFERENCE_SIZE = 64;
}
