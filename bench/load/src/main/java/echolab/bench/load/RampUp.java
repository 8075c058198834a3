package echolab.bench.load;

import java.io.IOException;

/**
 * Before the warm-up, each connection sends one message and waits for its echo, so that measuring
 * starts with every connection accepted and served once. It ends when all have answered, when no new
 * connection has answered for {@link #STALL_NANOS} (a server that serves one at a time never will),
 * or at the configured limit; how long it took and how many answered is reported, never hidden.
 */
final class RampUp implements Schedule {

    static final long STALL_NANOS = 500_000_000L;

    private final Accounting accounting;
    private final StreamVerifier stream;
    private final long startNanos;
    private final long deadlineNanos;
    private long lastFirstAnswerNanos;

    RampUp(Accounting accounting, StreamVerifier stream, long startNanos, long limitNanos) {
        this.accounting = accounting;
        this.stream = stream;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + limitNanos;
        this.lastFirstAnswerNanos = startNanos;
    }

    boolean over(long now) {
        return accounting.answeredInRampUp >= accounting.connectionsOpened
                || now >= deadlineNanos || now - lastFirstAnswerNanos > STALL_NANOS;
    }

    long waitNanos(long now) {
        return Math.min(deadlineNanos, lastFirstAnswerNanos + STALL_NANOS) - now;
    }

    void end(long now) {
        accounting.rampUpNanos = now - startNanos;
    }

    @Override
    public void begin(Connection c, long now) throws IOException {
        c.start(now);
        c.flush(stream);
    }

    @Override
    public void answered(Connection c, long message, long now) {
        if (c.answered == 1) {
            accounting.answeredInRampUp++;
            lastFirstAnswerNanos = now;
        }
    }
}
