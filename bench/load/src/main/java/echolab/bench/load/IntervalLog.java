package echolab.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log of one generator run, in HdrHistogram's own log format (readable by its
 * HistogramLogProcessor and by echo-lab's merge): for every second of the measured window, the latencies
 * (nanoseconds) of the messages answered in it. The corrected latency is the log's primary histogram and goes
 * untagged, so that HistogramLogProcessor reads it as it is (it reads untagged intervals unless given
 * {@code -tag}); the uncorrected one, open loop, is tagged {@code uncorrected}. With a group name (one host's
 * share of a load from several hosts, whose merged log holds the primary), both are tagged,
 * {@code GROUP.corrected} and {@code GROUP.uncorrected}. Each worker records a latency once, into its
 * {@link Seconds} (made before the window, so the window allocates nothing); the run's totals are their
 * sum, and the log is made from them, as text, once the workers have stopped; the caller writes it where
 * it goes.
 */
public final class IntervalLog {

    public static final String CORRECTED = "corrected";
    public static final String UNCORRECTED = "uncorrected";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final String group;
    private final boolean openLoop;
    private String text;

    /**
     * @param group the connection group the tags name (e.g. the host that generated it); null for none
     */
    public IntervalLog(String group, boolean openLoop) {
        this.group = group;
        this.openLoop = openLoop;
    }

    /** The log, once the run has ended; null before. */
    public String text() {
        return text;
    }

    /** The tag of {@code kind} (corrected, uncorrected) in this log; null for the primary, untagged. */
    public String tag(String kind) {
        return group != null ? group + "." + kind : kind.equals(CORRECTED) ? null : kind;
    }

    /**
     * One worker's latencies, second by second of a window from {@code fromNanos} to {@code toNanos} of this
     * JVM's clock: a latency goes to the second its answer came in (one answered after the window, in the open
     * loop, to the last second).
     */
    final class Seconds {
        private final long fromNanos;
        private final Histogram[] corrected;
        private final Histogram[] uncorrected;

        Seconds(long fromNanos, long toNanos) {
            this.fromNanos = fromNanos;
            int n = (int) Math.max(1, (toNanos - fromNanos + SECOND - 1) / SECOND);
            corrected = histograms(n);
            uncorrected = openLoop ? histograms(n) : null;
        }

        private static Histogram[] histograms(int n) {
            Histogram[] h = new Histogram[n];
            for (int i = 0; i < n; i++) {
                h[i] = Accounting.newHistogram();
            }
            return h;
        }

        private int second(long now) {
            return (int) Math.min(corrected.length - 1, Math.max(0, (now - fromNanos) / SECOND));
        }

        void corrected(long now, long nanos) {
            corrected[second(now)].recordValue(nanos);
        }

        void uncorrected(long now, long nanos) {
            uncorrected[second(now)].recordValue(nanos);
        }

        /** Adds every second into the run's totals. */
        void addTo(Histogram correctedTotal, Histogram uncorrectedTotal) {
            for (Histogram h : corrected) {
                correctedTotal.add(h);
            }
            if (uncorrected != null) {
                for (Histogram h : uncorrected) {
                    uncorrectedTotal.add(h);
                }
            }
        }
    }

    Seconds seconds(long fromNanos, long toNanos) {
        return new Seconds(fromNanos, toNanos);
    }

    /**
     * Makes the log of the workers' seconds, added up second by second, for a window of {@code fromNanos} to
     * {@code toNanos} that began at wall-clock {@code fromEpochMillis}.
     */
    void finish(List<Seconds> workers, long fromNanos, long toNanos, long fromEpochMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("echo-lab load generator: latency in nanoseconds, " + (openLoop
                    ? "corrected from each message's planned send time and uncorrected from its actual send"
                    : "closed loop (planned and actual send are the same)") + (group == null ? "" : "; group " + group));
            writer.outputLogFormatVersion();
            writer.outputStartTime(fromEpochMillis);
            writer.setBaseTime(fromEpochMillis);
            writer.outputBaseTime(fromEpochMillis);
            writer.outputLegend();
            int n = workers.get(0).corrected.length;
            for (int i = 0; i < n; i++) {
                long startMillis = fromEpochMillis + i * 1000L;
                long endMillis = fromEpochMillis + TimeUnit.NANOSECONDS.toMillis(Math.min(toNanos - fromNanos, (i + 1) * SECOND));
                writer.outputIntervalHistogram(sum(workers, i, false, CORRECTED, startMillis, endMillis));
                if (openLoop) {
                    writer.outputIntervalHistogram(sum(workers, i, true, UNCORRECTED, startMillis, endMillis));
                }
            }
        }
        text = bytes.toString(StandardCharsets.UTF_8);
    }

    private Histogram sum(List<Seconds> workers, int second, boolean uncorrected, String kind, long startMillis, long endMillis) {
        Histogram sum = Accounting.newHistogram();
        for (Seconds s : workers) {
            sum.add(uncorrected ? s.uncorrected[second] : s.corrected[second]);
        }
        sum.setTag(tag(kind));
        sum.setStartTimeStamp(startMillis);
        sum.setEndTimeStamp(endMillis);
        return sum;
    }
}
