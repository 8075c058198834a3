package echolab.bench.load;

import echolab.common.Framing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.HdrHistogram.Histogram;

/**
 * One load-generator run: the {@link LoadReport}, the histograms behind it (nanoseconds, for .hgrm files
 * and charts), and the measured window on this JVM's clock (to line up the server's /proc readings).
 */
public record LoadResult(LoadConfig config, LoadReport report, Histogram corrected, Histogram uncorrected,
                         long measureFromNanos, long measureToNanos) {

    static LoadResult of(LoadConfig config, Accounting a, double seconds, double busiest, double processCpuSeconds,
                         double wallSeconds, long measureFromNanos, long measureToNanos, long windowStartEpochMillis) {
        double perSecond = a.messagesCompleted / seconds;
        boolean open = config.openLoop();
        LoadReport report = new LoadReport(open ? "open" : "closed", config.host(), config.port(), config.connections(),
                a.connectionsOpened, config.size(), config.pipeline(),
                config.terminator().map(Framing.Terminator::escaped).orElse(null), config.warmup().toMillis() / 1e3, seconds,
                a.messagesCompleted, perSecond, a.bytesEchoed / seconds / (1024.0 * 1024.0),
                open ? config.rate() : null, open ? perSecond : null,
                LatencySummary.of(a.corrected), open ? LatencySummary.of(a.uncorrected) : null,
                new LoadReport.Errors(a.errors(), a.connectFailures, a.mismatches, a.shortReads, a.unexpectedCloses, a.resets,
                        a.unansweredMessages, a.firstError),
                a.rampUpNanos / 1e9, a.answeredInRampUp, a.starvedConnections, a.starvedInWindow, a.timedOutConnections,
                new LoadReport.Generator(config.threads(), busiest, processCpuSeconds, wallSeconds,
                        a.messagesCompleted > 0 ? a.allocatedBytes / (double) a.messagesCompleted : 0,
                        generatorBound(open, busiest, a), open ? LatencySummary.of(a.sendLag) : null),
                windowStartEpochMillis, null);
        return new LoadResult(config, report, a.corrected, a.uncorrected, measureFromNanos, measureToNanos);
    }

    /**
     * Whether the generator, not the server, was the limit: its busiest thread saturated, or, open loop, its
     * own lateness in sending (which no wait for the server counts in) more than a quarter of the latency at
     * p99. An open loop's thread yields its core while it waits for a message's time, so its load reads low
     * even when it cannot keep its schedule: the schedule is what says so.
     */
    static boolean generatorBound(boolean open, double busiest, Accounting a) {
        if (busiest >= LoadGenerator.GENERATOR_BOUND_THRESHOLD) {
            return true;
        }
        return open && a.sendLag.getTotalCount() > 0 && a.corrected.getTotalCount() > 0
                && a.sendLag.getValueAtPercentile(99) > LoadGenerator.SEND_LAG_SHARE * a.corrected.getValueAtPercentile(99);
    }

    public boolean ok() {
        return report.ok();
    }

    /** HdrHistogram's standard percentile distribution, values in microseconds. */
    public static String hgrm(Histogram histogram) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        histogram.outputPercentileDistribution(new PrintStream(out, true, StandardCharsets.UTF_8), 1000.0);
        return out.toString(StandardCharsets.UTF_8);
    }
}
