package echolab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;

/**
 * The load generator: opens the connections, ramps them up, runs one {@link Worker} per thread for
 * warm-up plus duration, adds up what they counted. It never waits longer than connect timeout +
 * ramp-up + warm-up + duration + a few seconds.
 */
public final class LoadGenerator {

    /** A generator thread busier than this (CPU time not spent idling, over wall time) is the bottleneck. */
    public static final double GENERATOR_BOUND_THRESHOLD = 0.90;
    /** An open loop whose own send lag is more than this share of the latency it measured was the limit. */
    public static final double SEND_LAG_SHARE = 0.25;

    private LoadGenerator() {
    }

    /**
     * What a run may add to measuring: an HdrHistogram interval log of its window, a start agreed with
     * others, so that generators on several hosts measure together, and what to do at the window's edges.
     * Each may be null.
     */
    public record Options(IntervalLog log, Start start, Edges edges) {
        public static final Options NONE = new Options(null, null, null);

        public Options(IntervalLog log, Start start) {
            this(log, start, null);
        }
    }

    /**
     * Told, on the generator's main thread, just before the measured window opens ({@link #EDGE_LEAD} ahead, in
     * the warm-up) and once it has closed: where the server's own counters are read, so that nothing is read
     * on the generator's core while it measures.
     */
    public interface Edges {
        void opens();

        void closes();
    }

    /** How long before the window {@link Edges#opens} is told: a reading of 20,000 descriptors takes a few ms. */
    static final Duration EDGE_LEAD = Duration.ofMillis(20);

    /** Asked once every connection has been ramped up: the wall-clock instant to start the warm-up at. */
    @FunctionalInterface
    public interface Start {
        Instant agreed(long connectionsOpened) throws IOException, InterruptedException;
    }

    /** How far ahead an agreed start may be. */
    private static final Duration LONGEST_WAIT_FOR_START = Duration.ofMinutes(2);

    public static LoadResult run(LoadConfig config) throws IOException, InterruptedException {
        return run(config, Options.NONE);
    }

    public static LoadResult run(LoadConfig config, Options options) throws IOException, InterruptedException {
        StreamVerifier.Pattern pattern = StreamVerifier.Pattern.of(config.size(), config.terminator());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        List<Worker> workers = new ArrayList<>();
        int per = config.connections() / config.threads();
        int extra = config.connections() % config.threads();
        int first = 0;
        for (int t = 0; t < config.threads(); t++) {
            int count = per + (t < extra ? 1 : 0);
            workers.add(new Worker(config, first, count, pattern));
            first += count;
        }
        for (Worker worker : workers) {
            worker.connect();
        }
        for (Worker worker : workers) {
            worker.rampUp();
        }
        if (options.start() != null) {
            long opened = workers.stream().mapToLong(w -> w.accounting.connectionsOpened).sum();
            waitUntil(options.start().agreed(opened));
        }
        long startNanos = System.nanoTime() + 20_000_000L;   // every thread starts its clock together
        long startEpochMillis = System.currentTimeMillis() + 20;
        for (Worker worker : workers) {
            worker.startAt(startNanos);
        }
        long measureFrom = workers.get(0).measureFromNanos();
        long measureTo = workers.get(0).endNanos();
        long windowStartEpochMillis = startEpochMillis + config.warmup().toMillis();
        if (options.log() != null) {
            for (Worker w : workers) {
                w.accounting.seconds = options.log().seconds(measureFrom, measureTo);
            }
        }

        long processCpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers.size(); t++) {
            threads.add(Thread.ofPlatform().name("load-" + t).start(workers.get(t)));
        }
        if (options.edges() != null) {
            Worker.waitUntil(measureFrom - EDGE_LEAD.toNanos());
            options.edges().opens();
        }
        long deadlineMillis = config.warmup().plus(config.duration()).toMillis() + 10_000;
        for (Thread thread : threads) {
            thread.join(deadlineMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                throw new IllegalStateException("a generator thread did not finish in time");
            }
        }
        if (options.edges() != null) {
            options.edges().closes();
        }
        for (Worker w : workers) {
            w.accounting.foldSeconds();
        }
        if (options.log() != null) {
            options.log().finish(workers.stream().map(w -> w.accounting.seconds).toList(), measureFrom, measureTo, windowStartEpochMillis);
        }
        long processCpu = os.getProcessCpuTime() - processCpuBefore;
        long wall = System.nanoTime() - wallBefore;

        Accounting total = new Accounting();
        double busiest = 0;
        double windowSeconds = config.duration().toNanos() / 1e9;
        for (Worker w : workers) {
            total.add(w.accounting);
            if (w.accounting.windowNanos > 0) {
                busiest = Math.max(busiest, (w.accounting.cpuNanos - w.accounting.spinNanos) / (double) w.accounting.windowNanos);
                windowSeconds = w.accounting.windowNanos / 1e9;
            }
        }
        return LoadResult.of(config, total, windowSeconds, busiest, processCpu / 1e9, wall / 1e9,
                measureFrom, workers.get(0).endNanos(), windowStartEpochMillis);
    }

    /** Sleeps until the wall clock reads {@code instant}; at once if it has passed, an error if it is too far ahead. */
    private static void waitUntil(Instant instant) throws InterruptedException {
        Duration ahead = Duration.between(Instant.now(), instant);
        if (ahead.compareTo(LONGEST_WAIT_FOR_START) > 0) {
            throw new IllegalArgumentException("the agreed start " + instant + " is more than " + LONGEST_WAIT_FOR_START.toMinutes()
                    + " minutes ahead of this machine's clock");
        }
        while (Instant.now().isBefore(instant)) {
            Thread.sleep(Math.max(1, Math.min(100, Duration.between(Instant.now(), instant).toMillis())));
        }
    }
}
