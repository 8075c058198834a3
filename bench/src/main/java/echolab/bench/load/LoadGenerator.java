package echolab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
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

    private LoadGenerator() {
    }

    public static LoadResult run(LoadConfig config) throws IOException, InterruptedException {
        ByteBuffer pattern = StreamVerifier.newPattern();
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
        long startNanos = System.nanoTime() + 20_000_000L;   // every thread starts its clock together
        for (Worker worker : workers) {
            worker.startAt(startNanos);
        }

        long processCpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers.size(); t++) {
            threads.add(Thread.ofPlatform().name("load-" + t).start(workers.get(t)));
        }
        long deadlineMillis = config.warmup().plus(config.duration()).toMillis() + 10_000;
        for (Thread thread : threads) {
            thread.join(deadlineMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                throw new IllegalStateException("a generator thread did not finish in time");
            }
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
                workers.get(0).measureFromNanos(), workers.get(0).endNanos());
    }
}
