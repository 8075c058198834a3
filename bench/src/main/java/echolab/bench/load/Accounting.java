package echolab.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one event loop counted: latencies (corrected and uncorrected, in nanoseconds), what went right
 * and wrong on its connections, and its own cost. Workers' accountings are added up at the end.
 */
final class Accounting {

    static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

    final Histogram corrected = newHistogram();
    final Histogram uncorrected = newHistogram();
    /** Open loop: how late the generator sent each message planned in the window, beyond any wait for the server. */
    final Histogram sendLag = newHistogram();

    long connectionsOpened;
    long connectFailures;
    long answeredInRampUp;      // connections whose first message was echoed before the warm-up began
    long rampUpNanos;           // how long that took (the longest over the workers)
    long messagesCompleted;     // in the measured window
    long bytesEchoed;           // in the measured window, verified
    long mismatches;            // an echoed byte differed from the byte sent
    long shortReads;            // the server closed before echoing everything sent
    long unexpectedCloses;      // the server closed a connection with nothing outstanding
    long resets;                // read/write failed (connection reset, broken pipe, ...)
    long timedOutConnections;   // outstanding messages and no byte back for --response-timeout
    long starvedConnections;    // opened, but not one message answered during the whole run
    long starvedInWindow;       // answered at some point, but not once in the measured window
    long unansweredMessages;    // never answered: in flight on timed-out connections; open loop: planned in the window
    long messagesDue;           // open loop: messages planned in the measured window
    String firstError;

    long cpuNanos;              // this loop's thread, in the measured window
    long spinNanos;             // of which spent spinning until a message was due (idle, not load)
    long allocatedBytes;        // by this loop's thread in the measured window
    long windowNanos;

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, 3);
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(clamped(nanos));
    }

    private static long clamped(long nanos) {
        return Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS));
    }

    /** The interval log's recorders for this loop's latencies; null when no interval log is written. */
    IntervalLog.Recorders intervals;

    /** A latency from the planned send, into the run's histogram and the interval log's. */
    void corrected(long nanos) {
        corrected.recordValue(clamped(nanos));
        if (intervals != null) {
            intervals.corrected().recordValue(clamped(nanos));
        }
    }

    /** A latency from the actual send (open loop), into the run's histogram and the interval log's. */
    void uncorrected(long nanos) {
        uncorrected.recordValue(clamped(nanos));
        if (intervals != null && intervals.uncorrected() != null) {
            intervals.uncorrected().recordValue(clamped(nanos));
        }
    }

    void add(Accounting o) {
        corrected.add(o.corrected);
        uncorrected.add(o.uncorrected);
        sendLag.add(o.sendLag);
        connectionsOpened += o.connectionsOpened;
        connectFailures += o.connectFailures;
        answeredInRampUp += o.answeredInRampUp;
        rampUpNanos = Math.max(rampUpNanos, o.rampUpNanos);
        messagesCompleted += o.messagesCompleted;
        bytesEchoed += o.bytesEchoed;
        mismatches += o.mismatches;
        shortReads += o.shortReads;
        unexpectedCloses += o.unexpectedCloses;
        resets += o.resets;
        timedOutConnections += o.timedOutConnections;
        starvedConnections += o.starvedConnections;
        starvedInWindow += o.starvedInWindow;
        unansweredMessages += o.unansweredMessages;
        messagesDue += o.messagesDue;
        allocatedBytes += o.allocatedBytes;
        if (firstError == null) {
            firstError = o.firstError;
        }
    }

    void error(String message) {
        if (firstError == null) {
            firstError = message;
        }
    }

    /** Errors a correct echo server never causes (starvation and timeouts are reported apart). */
    long errors() {
        return connectFailures + mismatches + shortReads + unexpectedCloses + resets;
    }
}
