package echolab.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * An HdrHistogram interval log of one generator run, in HdrHistogram's own log format (readable by its
 * HistogramLogProcessor and by echo-lab's merge): for every second of the measured window, the latencies
 * (nanoseconds) of the messages answered in it, tagged {@code corrected} and, open loop, {@code uncorrected};
 * with a group name, {@code GROUP.corrected} and so on. Each worker records into recorders of its own
 * (wait-free for it); a logging thread takes their interval histograms at each second's end. The file is
 * written beside its place and moved there once complete.
 */
public final class IntervalLog {

    public static final String CORRECTED = "corrected";
    public static final String UNCORRECTED = "uncorrected";
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final String group;
    private final boolean openLoop;
    private Thread logger;
    private List<Recorders> recorders;
    private Histogram[] reuse;
    private PrintStream out;
    private HistogramLogWriter writer;
    private long fromNanos;
    private long toNanos;
    private long fromEpochMillis;
    private long previousEnd;

    /** The recorders of one worker: one per tag (uncorrected null in the closed loop). */
    record Recorders(SingleWriterRecorder corrected, SingleWriterRecorder uncorrected) {
    }

    /**
     * @param group the connection group the tags name (e.g. the host that generated it); null for none
     */
    public IntervalLog(Path file, String group, boolean openLoop) {
        this.file = file;
        this.group = group;
        this.openLoop = openLoop;
    }

    public Path file() {
        return file;
    }

    /** The tag of {@code kind} (corrected, uncorrected) in this log. */
    public String tag(String kind) {
        return group == null ? kind : group + "." + kind;
    }

    Recorders newRecorders() {
        return new Recorders(recorder(), openLoop ? recorder() : null);
    }

    private static SingleWriterRecorder recorder() {
        return new SingleWriterRecorder(1, Accounting.HIGHEST_TRACKABLE_NANOS, 3);
    }

    /**
     * Starts the log for a window from {@code fromNanos} to {@code toNanos} of this JVM's clock, which began
     * at wall-clock {@code fromEpochMillis}: a thread writes each whole second as it ends; {@link #finish}
     * writes the last, once the workers have stopped, so that the log holds every latency they recorded.
     */
    void start(List<Recorders> recorders, long fromNanos, long toNanos, long fromEpochMillis) throws IOException {
        this.recorders = recorders;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.fromEpochMillis = fromEpochMillis;
        this.previousEnd = fromNanos;
        this.reuse = new Histogram[2 * recorders.size()];
        out = new PrintStream(Files.newOutputStream(partial()), false, StandardCharsets.UTF_8);
        writer = new HistogramLogWriter(out);
        writer.outputComment("echo-lab load generator: latency in nanoseconds, " + (openLoop
                ? "corrected from each message's planned send time and uncorrected from its actual send"
                : "closed loop (planned and actual send are the same)") + (group == null ? "" : "; group " + group));
        writer.outputLogFormatVersion();
        writer.outputStartTime(fromEpochMillis);
        writer.setBaseTime(fromEpochMillis);
        writer.outputBaseTime(fromEpochMillis);
        writer.outputLegend();
        logger = Thread.ofPlatform().daemon().name("interval-log").start(() -> {
            try {
                for (long end = fromNanos + INTERVAL_NANOS; end < toNanos; end += INTERVAL_NANOS) {
                    long wait = end - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    intervalEndingAt(end);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private Path partial() {
        return file.resolveSibling(file.getFileName() + ".partial");
    }

    /** Writes the interval that ends at {@code end} (it began where the last one ended). */
    private synchronized void intervalEndingAt(long end) {
        long start = previousEnd;
        previousEnd = end;
        long startMillis = fromEpochMillis + TimeUnit.NANOSECONDS.toMillis(start - fromNanos);
        long endMillis = fromEpochMillis + TimeUnit.NANOSECONDS.toMillis(end - fromNanos);
        interval(0, CORRECTED, startMillis, endMillis);
        if (openLoop) {
            interval(1, UNCORRECTED, startMillis, endMillis);
        }
    }

    private void interval(int which, String kind, long startMillis, long endMillis) {
        Histogram sum = Accounting.newHistogram();
        for (int i = 0; i < recorders.size(); i++) {
            SingleWriterRecorder r = which == 0 ? recorders.get(i).corrected() : recorders.get(i).uncorrected();
            int slot = 2 * i + which;
            reuse[slot] = r.getIntervalHistogram(reuse[slot]);
            sum.add(reuse[slot]);
        }
        sum.setTag(tag(kind));
        sum.setStartTimeStamp(startMillis);
        sum.setEndTimeStamp(endMillis);
        writer.outputIntervalHistogram(sum);
    }

    /**
     * Once the workers have stopped, after the window: writes the last interval (with whatever reached the recorders after the
     * previous one) and moves the complete log to its place; an IOException if it could not be written.
     */
    void finish() throws IOException, InterruptedException {
        if (logger == null) {
            return;
        }
        logger.join(TimeUnit.SECONDS.toMillis(10));     // the window is over: its last whole second is being written
        logger.interrupt();
        intervalEndingAt(toNanos);
        out.close();
        if (out.checkError()) {
            throw new IOException("could not write the interval log " + file);
        }
        Files.move(partial(), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stops a log that will not be finished (the run failed): no partial file is left. */
    void abandon() {
        if (logger != null) {
            logger.interrupt();
            out.close();
            try {
                Files.deleteIfExists(partial());
            } catch (IOException e) {
                // a temporary file beside the log; nothing reads it
            }
        }
    }
}
