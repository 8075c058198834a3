package echolab.bench.run;

import java.time.Duration;
import java.util.List;

import echolab.bench.results.Scenario;

/**
 * How much a bench run measures: quick (about a minute), default (under 5), full (under 20).
 * The closed-loop sweep crosses at the reference point (100 connections x 64 B): {@code connections} at
 * 64 B, and {@code sizes} at 100 connections, up to messages longer than every server's buffer (a reply
 * in pieces is where Nagle's algorithm would show). {@code firstWarmup} warms a freshly started server;
 * {@code rounds} is how often the reference point is measured, interleaved across servers; the main table
 * shows the median. picocli takes {@code --profile quick} (any case) straight to the constant.
 */
enum Profile {
    QUICK(List.of(10, 100), List.of(64), Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(700), 100,
            Duration.ofMillis(800), 200, Duration.ofMillis(500), false, 1),
    DEFAULT(List.of(1, 10, 100, 1000), List.of(64, 4096, 16_384, 65_536), Duration.ofMillis(2500), Duration.ofMillis(400), Duration.ofMillis(1500), 100,
            Duration.ofSeconds(3), 1000, Duration.ofSeconds(2), true, 3),
    FULL(List.of(1, 10, 100, 1000), List.of(64, 4096, 16_384, 65_536, 262_144), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), 100,
            Duration.ofSeconds(10), 10_000, Duration.ofSeconds(5), true, 5);

    private final List<Integer> connections;
    private final List<Integer> sizes;
    private final Duration firstWarmup;
    private final Duration warmup;
    private final Duration duration;
    private final int openLoopConnections;
    private final Duration openLoopDuration;
    private final int idleConnections;
    private final Duration scaleDuration;
    private final boolean capacity;
    private final int rounds;

    Profile(List<Integer> connections, List<Integer> sizes, Duration firstWarmup, Duration warmup, Duration duration,
            int openLoopConnections, Duration openLoopDuration, int idleConnections, Duration scaleDuration, boolean capacity, int rounds) {
        this.connections = connections;
        this.sizes = sizes;
        this.firstWarmup = firstWarmup;
        this.warmup = warmup;
        this.duration = duration;
        this.openLoopConnections = openLoopConnections;
        this.openLoopDuration = openLoopDuration;
        this.idleConnections = idleConnections;
        this.scaleDuration = scaleDuration;
        this.capacity = capacity;
        this.rounds = rounds;
    }

    /** As the user types it and results.json records it: quick, default, full. */
    String label() {
        return name().toLowerCase();
    }

    @Override
    public String toString() {
        return label();
    }

    List<Integer> connections() { return connections; }
    List<Integer> sizes() { return sizes; }

    /** The sweep's points, as {connections, size}: the connection counts at 64 B, then the other sizes at 100 connections. */
    List<int[]> sweep() {
        List<int[]> points = new java.util.ArrayList<>();
        connections.forEach(c -> points.add(new int[] {c, Scenario.REFERENCE_SIZE}));
        sizes.stream().filter(size -> size != Scenario.REFERENCE_SIZE)
                .forEach(size -> points.add(new int[] {Scenario.REFERENCE_CONNECTIONS, size}));
        return points;
    }
    Duration firstWarmup() { return firstWarmup; }
    Duration warmup() { return warmup; }
    Duration duration() { return duration; }
    int openLoopConnections() { return openLoopConnections; }
    Duration openLoopDuration() { return openLoopDuration; }
    int idleConnections() { return idleConnections; }
    Duration scaleDuration() { return scaleDuration; }
    boolean capacity() { return capacity; }
    int rounds() { return rounds; }
}
