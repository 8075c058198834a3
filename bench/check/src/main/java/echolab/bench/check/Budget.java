package echolab.bench.check;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time a gate run may take, counted from the start of the command ({@code ./echolab}'s own build of the
 * working tree and the base build included), and the clock it is read on. A round of a server is started only if its expected length still fits.
 */
final class Budget {

    private final Duration limit;
    private final LongSupplier nanoClock;
    private final long startedNanos;

    Budget(Duration limit, LongSupplier nanoClock) {
        this(limit, nanoClock, Duration.ZERO);
    }

    /** @param spent how much of the budget was spent before this moment */
    Budget(Duration limit, LongSupplier nanoClock, Duration spent) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong() - spent.toNanos();
    }

    /** A budget that starts now, on the machine's monotonic clock. */
    static Budget startingNow(Duration limit) {
        return new Budget(limit, System::nanoTime);
    }

    /**
     * A budget that started when {@code ./echolab} did (its {@code ECHOLAB_STARTED_MS}, milliseconds since
     * the epoch), so that the launcher's build of the working tree counts too; now when that is not set or
     * not believable (in the future, or more than an hour ago).
     */
    static Budget startedByLauncher(Duration limit) {
        Duration spent = Duration.ZERO;
        try {
            String started = System.getenv("ECHOLAB_STARTED_MS");
            if (started != null) {
                Duration d = Duration.ofMillis(System.currentTimeMillis() - Long.parseLong(started.trim()));
                spent = d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ZERO : d;
            }
        } catch (NumberFormatException e) {
            // not believable: counted from now
        }
        return new Budget(limit, System::nanoTime, spent);
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
