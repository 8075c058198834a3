package echolab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

import com.sun.management.OperatingSystemMXBean;

/**
 * The load generator: opens the connections, runs the workers for warm-up plus duration, merges what
 * they measured. It never waits longer than connect timeout + warm-up + duration + a few seconds.
 */
public final class LoadGenerator {

    /** A generator thread busier than this (CPU time not spent idling, over wall time) is the bottleneck. */
    public static final double GENERATOR_BOUND_THRESHOLD = 0.90;

    private LoadGenerator() {
    }

    public static LoadResult run(LoadConfig config) throws IOException, InterruptedException {
        ByteBuffer pattern = pattern();
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
        long startNanos = System.nanoTime() + 20_000_000L;   // every thread starts its clock together
        for (Worker worker : workers) {
            worker.startAt(startNanos);
        }
        List<Worker> started = workers;

        long processCpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < started.size(); t++) {
            threads.add(Thread.ofPlatform().name("load-" + t).start(started.get(t)));
        }
        long deadlineMillis = (config.warmup().plus(config.duration()).toMillis()) + 10_000;
        for (Thread thread : threads) {
            thread.join(deadlineMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                throw new IllegalStateException("a generator thread did not finish in time");
            }
        }
        long processCpu = os.getProcessCpuTime() - processCpuBefore;
        long wall = System.nanoTime() - wallBefore;

        Histogram corrected = Worker.newHistogram();
        Histogram uncorrected = Worker.newHistogram();
        Counters counters = new Counters();
        double busiest = 0;
        long allocated = 0;
        double windowSeconds = config.duration().toNanos() / 1e9;
        for (Worker w : started) {
            corrected.add(w.corrected);
            uncorrected.add(w.uncorrected);
            counters.add(w.counters);
            allocated += w.allocatedBytes;
            if (w.windowNanos > 0) {
                busiest = Math.max(busiest, (w.cpuNanos - w.spinNanos) / (double) w.windowNanos);
                windowSeconds = w.windowNanos / 1e9;
            }
        }
        return LoadResult.of(config, counters, corrected, uncorrected, windowSeconds,
                busiest, processCpu / 1e9, wall / 1e9, allocated, started.get(0).measureFromNanos(), started.get(0).endNanos());
    }

    /** The byte stream every connection sends, from a per-connection offset: PERIOD bytes plus a tail. */
    static ByteBuffer pattern() {
        ByteBuffer pattern = ByteBuffer.allocateDirect(Worker.PATTERN_PERIOD + Worker.CHUNK);
        SplittableRandom random = new SplittableRandom(862);
        byte[] period = new byte[Worker.PATTERN_PERIOD];
        for (int i = 0; i < period.length; i++) {
            period[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < pattern.capacity(); i++) {
            pattern.put(i, period[i % period.length]);
        }
        return pattern;
    }
}
