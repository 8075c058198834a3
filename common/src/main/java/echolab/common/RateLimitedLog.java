package echolab.common;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A log for a fault that may repeat thousands of times a second: the first occurrence is printed, the
 * next ones in the same second are counted, and the first line after that second says how many there
 * were ("... (312 more in the last second)"); the count left at the end goes into the stop summary.
 */
final class RateLimitedLog {

    private static final long PERIOD_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String prefix;
    private final LongSupplier clock;
    private long lastLineNanos;
    private long suppressed;

    RateLimitedLog(PrintStream out, String prefix) {
        this(out, prefix, System::nanoTime);
    }

    RateLimitedLog(PrintStream out, String prefix, LongSupplier clock) {
        this.out = out;
        this.prefix = prefix;
        this.clock = clock;
        this.lastLineNanos = clock.getAsLong() - PERIOD_NANOS;
    }

    synchronized void report(String message) {
        long now = clock.getAsLong();
        if (now - lastLineNanos < PERIOD_NANOS) {
            suppressed++;
            return;
        }
        long seconds = Math.round((now - lastLineNanos) / 1e9);
        out.println(prefix + message + (suppressed == 0 ? ""
                : " (" + suppressed + " more in the last " + (seconds <= 1 ? "second" : seconds + " s") + ")"));
        lastLineNanos = now;
        suppressed = 0;
    }
}
