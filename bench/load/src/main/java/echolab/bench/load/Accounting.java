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

    /** This loop's latencies second by second, for the interval log; null when none is written. */
    IntervalLog.Seconds seconds;

    /** A latency from the planned send, answered at {@code now}: into the run's histogram, or its second's. */
    void corrected(long now, long nanos) {
        if (seconds != null) {
            seconds.corrected(now, clamped(nanos));
        } else {
            corrected.recordValue(clamped(nanos));
        }
    }

    /** A latency from the actual send (open loop), answered at {@code now}: into the run's histogram, or its second's. */
    void uncorrected(long now, long nanos) {
        if (seconds != null) {
            seconds.uncorrected(now, clamped(nanos));
        } else {
            uncorrected.recordValue(clamped(nanos));
        }
    }

    /** Once the loop has stopped: its seconds added into its histograms, which then hold every latency. */
    void foldSeconds() {
        if (seconds != null) {
            seconds.addTo(corrected, uncorrected);
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
