package echolab.bench.load;

import java.io.IOException;
/**
 * Open loop: message {@code j} of a connection is planned at a fixed time, whatever the server does;
 * it is sent when due (or as soon as fewer than {@code pipeline} are in flight). Its latency counts
 * from the planned time (corrected for coordinated omission) and from the actual send (uncorrected).
 * The window holds the messages planned in it; after it, the loop waits up to {@link #DRAIN_NANOS}
 * for their echoes, and any still unanswered are recorded with the time they have waited so far.
 */
final class OpenLoop implements Schedule {

    static final long DRAIN_NANOS = 1_000_000_000L;

    private final Accounting accounting;
    private final StreamVerifier stream;
    private final Connection[] connections;
    private final Worker worker;
    private final int pipeline;
    private final int size;
    private final double rate;                    // this loop's share, messages/s
    private final double intervalNanos;           // between two messages of one connection
    private final double staggerNanos;            // between the first messages of two connections
    private final long durationNanos;
    private final long startNanos;
    private final long measureFromNanos;
    private final long endNanos;
    private long nextDue;

    OpenLoop(LoadConfig config, Worker worker, Connection[] connections, Accounting accounting, StreamVerifier stream,
             long startNanos, long measureFromNanos, long endNanos) {
        this.accounting = accounting;
        this.stream = stream;
        this.connections = connections;
        this.worker = worker;
        this.pipeline = config.pipeline();
        this.size = config.size();
        this.rate = config.rate() * connections.length / config.connections();
        this.intervalNanos = 1e9 * connections.length / rate;
        this.staggerNanos = 1e9 / rate;
        this.durationNanos = config.duration().toNanos();
        this.startNanos = startNanos;
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
        this.nextDue = startNanos;
    }

    private long planned(Connection c, long message) {
        return startNanos + (long) (c.index * staggerNanos) + (long) ((message - c.scheduleBase) * intervalNanos);
    }

    @Override
    public void begin(Connection c, long now) {
        c.scheduleBase = c.messagesStarted;            // messages before this were the ramp-up's
    }

    @Override
    public void answered(Connection c, long message, long now) {
        long planned = planned(c, message);
        c.freeSinceNanos = now;
        if (planned >= measureFromNanos && planned < endNanos) {
            accounting.uncorrected(now, now - c.sentAt(message));
            accounting.corrected(now, now - planned);
            accounting.messagesCompleted++;
            accounting.bytesEchoed += size;
            c.answeredInWindow++;
        }
    }

    @Override
    public void afterRead(Connection c, long now) throws IOException {
        if (planned(c, c.messagesStarted) <= now && c.inFlight() < pipeline) {
            sendDueOn(c, now);
        }
        if (c.inFlight() < pipeline) {
            nextDue = Math.min(nextDue, planned(c, c.messagesStarted));   // wake up when it is due
        }
    }

    @Override
    public long nextDue() {
        return nextDue;
    }

    @Override
    public void sendDue(long now) {
        long next = Long.MAX_VALUE;
        for (Connection c : connections) {
            if (!c.open) {
                continue;
            }
            try {
                sendDueOn(c, now);
            } catch (IOException e) {
                worker.failed(c, e);
                continue;
            }
            if (c.inFlight() < pipeline) {
                next = Math.min(next, planned(c, c.messagesStarted));   // else the next answer sends it
            }
        }
        nextDue = next;
    }

    private void sendDueOn(Connection c, long now) throws IOException {
        long before = c.messagesStarted;
        long planned = planned(c, c.messagesStarted);
        while (planned <= now && c.inFlight() < pipeline && planned < endNanos) {
            if (planned >= measureFromNanos) {
                Accounting.record(accounting.sendLag, now - Math.max(planned, c.freeSinceNanos));
            }
            c.start(now);
            planned = planned(c, c.messagesStarted);
        }
        if (c.messagesStarted != before) {
            c.flush(stream);
        }
    }

    /**
     * Each message planned in the window and still unanswered goes into the corrected histogram with
     * the time it has waited so far (a lower bound, at least the drain) and is counted as unanswered,
     * so a server that stops answering, or never answers some connections, cannot hide it.
     */
    @Override
    public void abandon(Connection c, long now, boolean timedOut) {
        if (c.finished) {
            return;
        }
        for (long m = c.messagesDone; planned(c, m) < endNanos; m++) {
            long planned = planned(c, m);
            if (planned >= measureFromNanos) {
                accounting.corrected(now, now - planned);
                accounting.unansweredMessages++;
            }
        }
        c.finished = true;                                // counted once
    }

    @Override
    public boolean draining(long now) {
        if (now >= endNanos + DRAIN_NANOS) {
            return false;
        }
        for (Connection c : connections) {
            if (c.open && planned(c, c.messagesDone) < endNanos) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void finish() {
        accounting.messagesDue = (long) Math.floor(rate * durationNanos / 1e9);
    }
}
