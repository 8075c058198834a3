package echolab.bench.load;

import java.io.IOException;

/**
 * Closed loop: each connection keeps {@code pipeline} messages in flight and starts the next as soon
 * as one is fully echoed. Latency is counted from the send; a message counts if it completed inside
 * the measured window.
 */
final class ClosedLoop implements Schedule {

    private final Accounting accounting;
    private final StreamVerifier stream;
    private final int pipeline;
    private final int size;
    private final long measureFromNanos;
    private final long endNanos;

    ClosedLoop(LoadConfig config, Accounting accounting, StreamVerifier stream, long measureFromNanos, long endNanos) {
        this.accounting = accounting;
        this.stream = stream;
        this.pipeline = config.pipeline();
        this.size = config.size();
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
    }

    @Override
    public void begin(Connection c, long now) throws IOException {
        send(c, now);
    }

    private void send(Connection c, long now) throws IOException {
        if (!c.open || c.writing()) {
            return;                                        // still writing earlier bytes: wait for OP_WRITE
        }
        while (c.inFlight() < pipeline) {
            c.start(now);
        }
        c.flush(stream);
    }

    @Override
    public void answered(Connection c, long message, long now) {
        if (now >= measureFromNanos && now <= endNanos) {
            accounting.corrected(now, now - c.sentAt(message));   // planned and actual send are the same
            accounting.messagesCompleted++;
            accounting.bytesEchoed += size;
            c.answeredInWindow++;
        }
    }

    @Override
    public void afterRead(Connection c, long now) throws IOException {
        send(c, now);
    }

    @Override
    public void writable(Connection c, long now) throws IOException {
        send(c, now);
    }

    @Override
    public void abandon(Connection c, long now, boolean timedOut) {
        if (timedOut) {
            accounting.unansweredMessages += c.inFlight();
        }
    }
}
