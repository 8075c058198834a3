package echolab.bench.harness;

import java.util.List;
import java.util.function.ToLongFunction;

import echolab.bench.harness.ProcReading.Io;
import echolab.bench.harness.ProcReading.Switches;
import echolab.bench.results.CpuClock;

/**
 * A server's figures between two instants of this JVM's clock, from the /proc readings taken around them
 * (at the window's edges, or every so often: see {@link ServerProcess}): peaks of RSS, threads and
 * descriptors, and what each counter (CPU time, system calls and their bytes, context switches) grew by over
 * the window ({@code io} and {@code switches} null when the readings lack them).
 * CPU time is read with the most precise clock the readings have ({@code cpuClock}); {@code tickCpuSeconds}
 * is always the tick clock's, for comparison.
 */
public record ProcWindow(long peakRssKiB, int peakThreads, double cpuSeconds, CpuClock cpuClock, double tickCpuSeconds,
                         int peakOpenFiles, Io io, Switches switches) {

    public static final long CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ: 100 on every Linux we run on

    // The counters a window is measured on; -1 where a reading lacks it.
    private static final ToLongFunction<ProcReading> READ_CALLS = s -> s.io() == null ? -1 : s.io().readCalls();
    private static final ToLongFunction<ProcReading> WRITE_CALLS = s -> s.io() == null ? -1 : s.io().writeCalls();
    private static final ToLongFunction<ProcReading> BYTES_READ = s -> s.io() == null ? -1 : s.io().bytesRead();
    private static final ToLongFunction<ProcReading> BYTES_WRITTEN = s -> s.io() == null ? -1 : s.io().bytesWritten();
    private static final ToLongFunction<ProcReading> VOLUNTARY = s -> s.switches() == null ? -1 : s.switches().voluntary();
    private static final ToLongFunction<ProcReading> INVOLUNTARY = s -> s.switches() == null ? -1 : s.switches().involuntary();

    /** How far outside the window a reading still counts towards its peaks. */
    static final long EDGE_NANOS = 100_000_000L;

    /**
     * The window [from, to] over {@code readings}; peaks count readings up to 100 ms either side. When the
     * process's peak RSS was reset at {@code peakResetNanos}, up to 100 ms before the window began, the peak RSS
     * the readings after the window carry is the window's too (whatever it reached between readings).
     */
    static ProcWindow over(List<ProcReading> readings, long fromNanos, long toNanos, long peakResetNanos) {
        long peakRss = 0;
        int peakThreads = 0;
        int peakFiles = -1;
        boolean peakSinceStart = peakResetNanos <= fromNanos && peakResetNanos >= fromNanos - EDGE_NANOS;
        for (ProcReading s : readings) {
            if (s.nanos() >= fromNanos - EDGE_NANOS && s.nanos() <= toNanos + EDGE_NANOS) {
                peakRss = Math.max(peakRss, peakSinceStart && s.nanos() >= toNanos ? s.peakRssKiB() : s.rssKiB());
                peakThreads = Math.max(peakThreads, s.threads());
                peakFiles = Math.max(peakFiles, s.openFiles());
            }
        }
        ToLongFunction<ToLongFunction<ProcReading>> grew = counter -> Math.round(increase(readings, fromNanos, toNanos, counter));
        Io io = new Io(grew.applyAsLong(READ_CALLS), grew.applyAsLong(WRITE_CALLS), grew.applyAsLong(BYTES_READ),
                grew.applyAsLong(BYTES_WRITTEN));
        Switches switches = new Switches(grew.applyAsLong(VOLUNTARY), grew.applyAsLong(INVOLUNTARY));
        double ticks = cpuSeconds(readings, fromNanos, toNanos);
        double nanos = increase(readings, fromNanos, toNanos, ProcReading::cpuNanos);     // -1: no cgroup
        boolean precise = nanos >= 0;
        return new ProcWindow(peakRss, peakThreads, precise ? nanos / 1e9 : ticks, precise ? CpuClock.CGROUP : CpuClock.TICKS,
                ticks, peakFiles,
                io.readCalls() < 0 || io.writeCalls() < 0 ? null : io, switches.voluntary() < 0 ? null : switches);
    }

    static double cpuSeconds(List<ProcReading> readings, long fromNanos, long toNanos) {
        double ticks = increase(readings, fromNanos, toNanos, ProcReading::cpuTicks);   // -1: the readings do not tell
        return ticks < 0 ? 0 : ticks / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * How much a counter (CPU ticks, system calls, context switches) grew in [from, to]; -1 when the
     * readings do not tell. Neither the edges' readings (taken just outside the window) nor periodic ones
     * (whose spacing drifts when the sampler waits for a busy core) line up with the window, so the
     * difference between two readings covers a span that is not the window. The
     * counter's rate over the readings inside the window (a least-squares slope, which also averages out
     * the 10 ms steps of CPU ticks), times the window's length, does not depend on where the readings
     * fell; without enough readings inside, the rate between the readings that bracket it. Readings that
     * lack the counter are skipped.
     */
    static double increase(List<ProcReading> all, long fromNanos, long toNanos, ToLongFunction<ProcReading> counter) {
        List<ProcReading> readings = all.stream().filter(s -> counter.applyAsLong(s) >= 0).toList();
        List<ProcReading> inside = readings.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos).toList();
        double rate;
        if (inside.size() >= 3 && inside.getLast().nanos() - inside.getFirst().nanos() >= (toNanos - fromNanos) / 2) {
            rate = slopePerSecond(inside, counter);
        } else {
            ProcReading before = null;                      // the last reading at or before the start
            ProcReading after = null;                       // the first reading at or after the end
            for (ProcReading s : readings) {
                if (s.nanos() <= fromNanos) {
                    before = s;
                }
                if (after == null && s.nanos() >= toNanos) {
                    after = s;
                }
            }
            if (before == null || after == null || after.nanos() <= before.nanos()) {
                return -1;
            }
            rate = (counter.applyAsLong(after) - counter.applyAsLong(before)) / ((after.nanos() - before.nanos()) / 1e9);
        }
        return Math.max(0, rate * (toNanos - fromNanos) / 1e9);
    }

    private static double slopePerSecond(List<ProcReading> readings, ToLongFunction<ProcReading> counter) {
        double meanT = readings.stream().mapToDouble(s -> s.nanos() / 1e9).average().orElse(0);
        double meanC = readings.stream().mapToDouble(counter::applyAsLong).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (ProcReading s : readings) {
            double dt = s.nanos() / 1e9 - meanT;
            covariance += dt * (counter.applyAsLong(s) - meanC);
            variance += dt * dt;
        }
        return covariance / variance;
    }
}
