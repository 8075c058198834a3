package echolab.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one load-generator run measured: the numbers a person reads and a machine parses. Latencies in
 * microseconds; the histograms (nanoseconds) are kept for the .hgrm output and the charts.
 */
public record LoadResult(
        LoadConfig config,
        String mode,
        int connectionsRequested,
        long connectionsOpened,
        double seconds,
        long messages,
        double messagesPerSecond,
        double mibPerSecond,
        Double targetRate,
        Double achievedRate,
        Latency latency,
        Latency uncorrectedLatency,
        Errors errors,
        long starvedConnections,
        long timedOutConnections,
        Generator generator,
        Histogram correctedHistogram,
        Histogram uncorrectedHistogram,
        long measureFromNanos,
        long measureToNanos) {

    /** Percentiles in microseconds. */
    public record Latency(long count, double mean, double p50, double p90, double p99, double p999, double p9999,
                          double max) {
        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getTotalCount(), h.getMean() / 1e3,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                    h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e3);
        }
    }

    public record Errors(long total, long connectFailures, long mismatches, long shortReads, long unexpectedCloses,
                         long resets, long unansweredMessages, String first) {
    }

    /** The generator checking itself: CPU used, and whether it, not the server, was the bottleneck. */
    public record Generator(int threads, double busiestThreadLoad, double processCpuSeconds, double wallSeconds,
                            double allocatedBytesPerMessage, boolean generatorBound) {
    }

    static LoadResult of(LoadConfig config, Counters c, Histogram corrected, Histogram uncorrected,
                         double seconds, double busiest, double processCpuSeconds, double wallSeconds,
                         long allocatedBytes, long measureFromNanos, long measureToNanos) {
        double perSecond = c.messagesCompleted / seconds;
        boolean open = config.openLoop();
        return new LoadResult(config, open ? "open" : "closed", config.connections(), c.connectionsOpened, seconds,
                c.messagesCompleted, perSecond, c.bytesEchoed / seconds / (1024.0 * 1024.0),
                open ? config.rate() : null, open ? perSecond : null,
                Latency.of(corrected), open ? Latency.of(uncorrected) : null,
                new Errors(c.errors(), c.connectFailures, c.mismatches, c.shortReads, c.unexpectedCloses, c.resets,
                        c.unansweredMessages, c.firstError),
                c.starvedConnections, c.timedOutConnections,
                new Generator(config.threads(), busiest, processCpuSeconds, wallSeconds,
                        c.messagesCompleted > 0 ? allocatedBytes / (double) c.messagesCompleted : 0,
                        busiest >= LoadGenerator.GENERATOR_BOUND_THRESHOLD),
                corrected, uncorrected, measureFromNanos, measureToNanos);
    }

    public boolean ok() {
        return errors.total() == 0 && connectionsOpened == connectionsRequested;
    }

    /** HdrHistogram's standard percentile distribution, values in microseconds. */
    public static String hgrm(Histogram histogram) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        histogram.outputPercentileDistribution(new PrintStream(out, true, StandardCharsets.UTF_8), 1000.0);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The human-readable summary. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%s loop, %d connections (%d opened), %d B messages, pipeline %d, %.1f s measured%n",
                mode, connectionsRequested, connectionsOpened, config.size(), config.pipeline(), seconds));
        if (targetRate != null) {
            s.append(String.format("  rate        target %,.0f msg/s, achieved %,.0f msg/s (%.1f%%)%n",
                    targetRate, achievedRate, 100 * achievedRate / targetRate));
        }
        s.append(String.format("  throughput  %,.0f msg/s, %.2f MiB/s, %,d messages%n", messagesPerSecond, mibPerSecond, messages));
        s.append(line(targetRate != null ? "latency (from planned send, corrected)" : "latency", latency));
        if (uncorrectedLatency != null) {
            s.append(line("latency (from actual send, uncorrected)", uncorrectedLatency));
        }
        s.append(String.format("  errors      %d (mismatches %d, short reads %d, server closes %d, resets %d, connect failures %d)%n",
                errors.total(), errors.mismatches(), errors.shortReads(), errors.unexpectedCloses(), errors.resets(),
                errors.connectFailures()));
        if (starvedConnections > 0 || timedOutConnections > 0) {
            s.append(String.format("  starved     %d connections never got a response; %d timed out (%d messages unanswered)%n",
                    starvedConnections, timedOutConnections, errors.unansweredMessages()));
        }
        if (errors.first() != null) {
            s.append("  first error ").append(errors.first()).append(System.lineSeparator());
        }
        s.append(String.format("  generator   busiest thread %.0f%% busy, %.2f CPU-s over %.2f s, %.2f bytes allocated per message%s%n",
                100 * generator.busiestThreadLoad(), generator.processCpuSeconds(), generator.wallSeconds(),
                generator.allocatedBytesPerMessage(),
                generator.generatorBound() ? "  ** GENERATOR-BOUND: the generator, not the server, was the limit **" : ""));
        return s.toString();
    }

    private static String line(String label, Latency l) {
        return String.format("  %s (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  p99.99 %.1f  max %.1f%n",
                label, l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max());
    }

    /** Everything above as a map, for JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("host", config.host());
        m.put("port", config.port());
        m.put("connectionsRequested", connectionsRequested);
        m.put("connectionsOpened", connectionsOpened);
        m.put("messageSize", config.size());
        m.put("pipeline", config.pipeline());
        m.put("warmupSeconds", config.warmup().toMillis() / 1e3);
        m.put("seconds", seconds);
        m.put("messages", messages);
        m.put("messagesPerSecond", messagesPerSecond);
        m.put("mibPerSecond", mibPerSecond);
        m.put("targetRate", targetRate);
        m.put("achievedRate", achievedRate);
        m.put("latencyMicros", latency);
        m.put("uncorrectedLatencyMicros", uncorrectedLatency);
        m.put("errors", errors);
        m.put("starvedConnections", starvedConnections);
        m.put("timedOutConnections", timedOutConnections);
        m.put("generator", generator);
        return m;
    }
}
