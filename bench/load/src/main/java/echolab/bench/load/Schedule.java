package echolab.bench.load;

import java.io.IOException;

/**
 * When an event loop sends, and which answers it counts: {@link RampUp} before the warm-up,
 * then {@link ClosedLoop} or {@link OpenLoop}. The loop does the I/O and byte checking; a schedule
 * decides the rest, so neither has a "which mode am I in?" branch. What a schedule does not need to
 * do is a no-op by default.
 */
interface Schedule {

    /** The schedule takes over connection {@code c}. */
    void begin(Connection c, long now) throws IOException;

    /** Message {@code message} of {@code c} came back whole at {@code now}. */
    void answered(Connection c, long message, long now);

    /** After a read: send what is now allowed. */
    default void afterRead(Connection c, long now) throws IOException {
    }

    /** The kernel took the pending bytes of {@code c}. */
    default void writable(Connection c, long now) throws IOException {
    }

    /** When a message is next due by the clock on any connection; {@code Long.MAX_VALUE} when none is. */
    default long nextDue() {
        return Long.MAX_VALUE;
    }

    /** Starts every message due by {@code now}. */
    default void sendDue(long now) {
    }

    /** The loop gives up on {@code c}: it timed out, or the run ended with it open. */
    default void abandon(Connection c, long now, boolean timedOut) {
    }

    /** Whether the loop should go on after the measured window (waiting, bounded, for late echoes). */
    default boolean draining(long now) {
        return false;
    }

    /** The run is over: final figures. */
    default void finish() {
    }
}
