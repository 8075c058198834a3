package echolab.bench.check;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time a gate run may take, counted from the start of the command (the base build included), and the
 * clock it is read on. A round of a server is started only if its expected length still fits.
 */
final class Budget {

    private final Duration limit;
    private final LongSupplier nanoClock;
    private final long startedNanos;

    Budget(Duration limit, LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
    }

    /** A budget that starts now, on the machine's monotonic clock. */
    static Budget startingNow(Duration limit) {
        return new Budget(limit, System::nanoTime);
    }

    Duration limit() {
        return limit;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    Duration elapsed() {
        return Duration.ofNanos(now() - startedNanos);
    }

    /** Whether work expected to take {@code expected} can still finish inside the budget. */
    boolean fits(Duration expected) {
        return elapsed().plus(expected).compareTo(limit) <= 0;
    }
}
