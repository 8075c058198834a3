package echolab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * One event loop of the load generator: a Selector over its share of the connections, no allocation
 * per message. Each connection sends a stream of bytes taken from a fixed pseudo-random pattern at a
 * per-connection offset, so every echoed byte can be checked against what was sent, in place, with a
 * vectorised {@link ByteBuffer#mismatch}.
 *
 * <p>Closed loop: each connection keeps {@code pipeline} messages in flight and sends the next as soon
 * as one is fully echoed. Open loop: message {@code j} of connection {@code c} is planned at a fixed
 * time; it is sent when due (or as soon as fewer than {@code pipeline} are in flight), and its latency
 * counts from the planned time (corrected) as well as from the actual send (uncorrected).
 */
final class Worker implements Runnable {

    static final int PATTERN_PERIOD = 65_521;             // prime: offsets never line up with message sizes
    static final int CHUNK = 64 * 1024;
    static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;
    static final long DRAIN_NANOS = 1_000_000_000L;       // open loop: wait this long for late echoes

    private final LoadConfig config;
    private final int firstConnection;
    private final int connectionCount;
    private final double rate;                            // this worker's share, messages/s; 0 = closed loop
    private long startNanos;                              // shared start of the warm-up
    private long measureFromNanos;
    private long endNanos;
    private final long connectDeadlineNanos;

    final Histogram corrected = newHistogram();
    final Histogram uncorrected = newHistogram();
    final Counters counters = new Counters();
    long cpuNanos;
    long allocatedBytes;                                   // by this thread in the measured window
    long spinNanos;
    long windowNanos;

    long measureFromNanos() {
        return measureFromNanos;
    }

    long endNanos() {
        return endNanos;
    }

    private final ByteBuffer pattern;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(CHUNK);
    private final List<Connection> connections = new ArrayList<>();
    private Selector selector;

    Worker(LoadConfig config, int firstConnection, int connectionCount, ByteBuffer pattern) {
        this.config = config;
        this.firstConnection = firstConnection;
        this.connectionCount = connectionCount;
        this.rate = config.rate() * connectionCount / config.connections();
        this.connectDeadlineNanos = System.nanoTime() + config.connectTimeout().toNanos();
        this.pattern = pattern.duplicate();
    }

    /** Sets the common start of the warm-up; call after {@link #connect()} and before {@link #run()}. */
    void startAt(long nanos) {
        startNanos = nanos;
        measureFromNanos = nanos + config.warmup().toNanos();
        endNanos = measureFromNanos + config.duration().toNanos();
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, 3);
    }

    /** A connection and its progress through its byte stream. */
    private final class Connection {
        final int id;
        final int patternStart;
        final long plannedOffsetNanos;     // open loop: when this connection's message 0 is due
        final long[] sendTimes;            // ring: actual send time of each message in flight
        SocketChannel channel;
        SelectionKey key;
        boolean open;
        long messagesStarted;              // messages whose bytes we began to send
        long messagesDone;                 // messages fully echoed
        long bytesSent;
        long bytesReceived;
        long lastProgressNanos;
        long answered;                     // messages answered over the whole run
        boolean connected;                 // the connection was established at some point
        boolean finished;                  // its unanswered messages have been accounted for

        Connection(int id) {
            this.id = id;
            this.patternStart = (int) ((id * 7_919L) % PATTERN_PERIOD);
            this.plannedOffsetNanos = rate > 0 ? (long) ((id - firstConnection) * 1e9 / rate) : 0;
            this.sendTimes = new long[config.pipeline()];
        }

        long plannedNanos(long message) {
            double interval = 1e9 * connectionCount / rate;
            return startNanos + plannedOffsetNanos + (long) (message * interval);
        }

        int inFlight() {
            return (int) (messagesStarted - messagesDone);
        }
    }

    // ---- connect ----------------------------------------------------------------------------------

    void connect() throws IOException {
        selector = Selector.open();
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        for (int i = 0; i < connectionCount; i++) {
            Connection c = new Connection(firstConnection + i);
            connections.add(c);
            try {
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                if (c.channel.connect(address)) {
                    connected(c);
                }
            } catch (IOException e) {
                connectFailed(c, e);
            }
        }
        int pending = pendingConnects();
        while (pending > 0 && System.nanoTime() < connectDeadlineNanos) {
            selector.select(Math.max(1, (connectDeadlineNanos - System.nanoTime()) / 1_000_000));
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                try {
                    if (c.channel.finishConnect()) {
                        connected(c);
                    }
                } catch (IOException e) {
                    connectFailed(c, e);
                }
            }
            selector.selectedKeys().clear();
            pending = pendingConnects();
        }
        for (Connection c : connections) {
            if (!c.open && c.channel != null && c.channel.isOpen()) {
                connectFailed(c, new IOException("connect timed out after " + config.connectTimeout().toMillis() + " ms"));
            }
        }
    }

    private int pendingConnects() {
        int pending = 0;
        for (Connection c : connections) {
            if (!c.open && c.channel != null && c.channel.isOpen()) {
                pending++;
            }
        }
        return pending;
    }

    private void connected(Connection c) {
        c.open = true;
        c.connected = true;
        c.key.interestOps(SelectionKey.OP_READ);
        counters.connectionsOpened++;
    }

    private void connectFailed(Connection c, IOException e) {
        counters.connectFailures++;
        counters.error("connect: " + e.getMessage());
        closeQuietly(c);
    }

    // ---- the loop ---------------------------------------------------------------------------------

    @Override
    public void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        try {
            if (counters.connectionsOpened == 0) {
                return;                                    // nothing to drive: report the connect failures now
            }
            waitUntil(startNanos);
            long now = System.nanoTime();
            for (Connection c : connections) {
                c.lastProgressNanos = now;
                if (c.open && rate == 0) {
                    try {
                        send(c, now);
                    } catch (IOException e) {
                        failed(c, e);
                    }
                }
            }
            boolean measuring = false;
            long cpuAtMeasure = 0;
            long allocatedAtMeasure = 0;
            nextDue = rate > 0 ? startNanos : Long.MAX_VALUE;
            long nextTimeoutCheck = now + 100_000_000L;
            long drainUntil = endNanos + DRAIN_NANOS;
            while (now < endNanos || (rate > 0 && now < drainUntil && outstandingInWindow())) {
                if (!measuring && now >= measureFromNanos) {
                    measuring = true;
                    cpuAtMeasure = threads.getCurrentThreadCpuTime();
                    allocatedAtMeasure = allocation.getCurrentThreadAllocatedBytes();
                    spinNanos = 0;
                }
                long wakeAt = Math.min(Math.min(nextDue, endNanos), nextTimeoutCheck);
                long waitNanos = wakeAt - now;
                loopMeasuring = measuring;
                long iterationStart = now;
                int ready = waitNanos >= 1_000_000
                        ? selector.select(handler, waitNanos / 1_000_000)
                        : selector.selectNow(handler);
                now = System.nanoTime();
                boolean sent = false;
                if (rate > 0 && now >= nextDue) {
                    nextDue = sendDue(now);
                    sent = true;
                }
                if (ready == 0 && !sent && waitNanos < 1_000_000) {
                    // Spinning until a message is due: let anything else runnable on this core (the
                    // kernel's softirq thread delivering loopback packets, for one) go first.
                    Thread.yield();
                    if (measuring) {
                        spinNanos += System.nanoTime() - iterationStart;   // idle, not load
                    }
                }
                if (now >= nextTimeoutCheck) {
                    checkTimeouts(now);
                    nextTimeoutCheck = now + 100_000_000L;
                }
            }
            if (measuring) {
                cpuNanos = threads.getCurrentThreadCpuTime() - cpuAtMeasure;
                allocatedBytes = allocation.getCurrentThreadAllocatedBytes() - allocatedAtMeasure;
                windowNanos = Math.min(System.nanoTime(), endNanos) - measureFromNanos;
            }
            finish(System.nanoTime());
        } catch (IOException e) {
            counters.error("generator: " + e.getMessage());
        } finally {
            for (Connection c : connections) {
                closeQuietly(c);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing at the end of the run: nothing left to report to
            }
        }
    }

    private static void waitUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    private boolean loopMeasuring;
    private final java.util.function.Consumer<SelectionKey> handler = this::handle;   // one object, not one per select
    private long nextDue;                                  // open loop: when the next message is due

    /** Called by the selector for each ready key, without a selected-key set to walk and clear. */
    private void handle(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        long now = System.nanoTime();
        boolean measuring = loopMeasuring || now >= measureFromNanos;
        try {
            if (key.isValid() && key.isReadable()) {
                read(c, now, measuring);
            }
            if (c.open && key.isValid() && key.isWritable()) {
                writePending(c);
                if (rate == 0) {
                    send(c, now);
                }
            }
        } catch (IOException e) {
            failed(c, e);
        }
    }

    private void failed(Connection c, IOException e) {
        counters.resets++;
        counters.error("connection " + c.id + ": " + e.getMessage());
        closeQuietly(c);
    }

    // ---- sending ----------------------------------------------------------------------------------

    /** Closed loop: start as many messages as the pipeline allows, then write. */
    private void send(Connection c, long now) throws IOException {
        if (!c.open || c.bytesSent < c.messagesStarted * config.size()) {
            return;                                        // still writing earlier bytes: wait for OP_WRITE
        }
        while (c.inFlight() < config.pipeline()) {
            c.sendTimes[(int) (c.messagesStarted % config.pipeline())] = now;
            c.messagesStarted++;
        }
        writePending(c);
    }

    /** Open loop: start every message that is due on every connection; returns when the next is due. */
    private long sendDue(long now) {
        long next = Long.MAX_VALUE;
        for (Connection c : connections) {
            if (!c.open) {
                continue;
            }
            try {
                sendDueOn(c, now);
            } catch (IOException e) {
                failed(c, e);
                continue;
            }
            if (c.inFlight() < config.pipeline()) {
                next = Math.min(next, c.plannedNanos(c.messagesStarted));   // else the next answer sends it
            }
        }
        return next;
    }

    /** Writes the bytes of started messages that are not yet written, straight from the pattern. */
    private void writePending(Connection c) throws IOException {
        long target = c.messagesStarted * config.size();
        while (c.bytesSent < target) {
            int offset = (int) ((c.patternStart + c.bytesSent) % PATTERN_PERIOD);
            int n = (int) Math.min(target - c.bytesSent, CHUNK);
            pattern.limit(offset + n).position(offset);
            int written = c.channel.write(pattern);
            c.bytesSent += written;
            if (written < n) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);   // the kernel is full
                return;
            }
        }
        if ((c.key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    // ---- receiving --------------------------------------------------------------------------------

    private void read(Connection c, long now, boolean measuring) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n == -1) {
            if (c.bytesReceived < c.bytesSent) {
                counters.shortReads++;
                counters.error("connection " + c.id + ": closed by the server with "
                        + (c.bytesSent - c.bytesReceived) + " bytes not echoed");
            } else {
                counters.unexpectedCloses++;
                counters.error("connection " + c.id + ": closed by the server");
            }
            closeQuietly(c);
            return;
        }
        if (n == 0) {
            return;
        }
        if (c.bytesReceived + n > c.bytesSent) {
            counters.mismatches++;
            counters.error("connection " + c.id + ": received more bytes than were sent");
            closeQuietly(c);
            return;
        }
        readBuffer.flip();
        int offset = (int) ((c.patternStart + c.bytesReceived) % PATTERN_PERIOD);
        pattern.limit(offset + n).position(offset);
        int at = readBuffer.mismatch(pattern);
        if (at != -1) {
            counters.mismatches++;
            counters.error("connection " + c.id + ": echoed byte " + (c.bytesReceived + at) + " differs from the byte sent");
            closeQuietly(c);
            return;
        }
        c.bytesReceived += n;
        c.lastProgressNanos = now;
        long size = config.size();
        while (c.bytesReceived >= (c.messagesDone + 1) * size) {
            long message = c.messagesDone++;
            c.answered++;
            long sent = c.sendTimes[(int) (message % config.pipeline())];
            if (rate > 0) {
                long planned = c.plannedNanos(message);      // open loop: the window holds what was planned in it
                if (planned >= measureFromNanos && planned < endNanos) {
                    record(uncorrected, now - sent);
                    record(corrected, now - planned);
                    counters.messagesCompleted++;
                    counters.bytesEchoed += size;
                }
            } else if (measuring && now <= endNanos) {       // closed loop: what completed in the window
                record(corrected, now - sent);               // planned and actual send are the same
                counters.messagesCompleted++;
                counters.bytesEchoed += size;
            }
        }
        if (rate == 0) {
            send(c, now);
        } else {
            if (c.plannedNanos(c.messagesStarted) <= now && c.inFlight() < config.pipeline()) {
                sendDueOn(c, now);
            }
            if (c.inFlight() < config.pipeline()) {
                nextDue = Math.min(nextDue, c.plannedNanos(c.messagesStarted));   // wake up when it is due
            }
        }
    }

    /** Open loop: start the messages of one connection that are due, as far as the pipeline allows. */
    private void sendDueOn(Connection c, long now) throws IOException {
        long before = c.messagesStarted;
        long planned = c.plannedNanos(c.messagesStarted);
        while (planned <= now && c.inFlight() < config.pipeline() && planned < endNanos) {
            c.sendTimes[(int) (c.messagesStarted % config.pipeline())] = now;
            c.messagesStarted++;
            planned = c.plannedNanos(c.messagesStarted);
        }
        if (c.messagesStarted != before) {
            writePending(c);
        }
    }

    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    // ---- timeouts and the end ---------------------------------------------------------------------

    private void checkTimeouts(long now) {
        long limit = config.responseTimeout().toNanos();
        for (Connection c : connections) {
            if (c.open && c.inFlight() > 0 && now - c.lastProgressNanos > limit) {
                counters.timedOutConnections++;
                if (rate == 0) {
                    counters.unansweredMessages += c.inFlight();
                }
                counters.error("connection " + c.id + ": no response for " + config.responseTimeout().toMillis() + " ms");
                finishConnection(c, now);
                closeQuietly(c);
            }
        }
    }

    private void finish(long now) {
        for (Connection c : connections) {
            if (c.open) {
                finishConnection(c, now);
            }
        }
        for (Connection c : connections) {
            if (c.connected && c.answered == 0) {
                counters.starvedConnections++;
            }
        }
        if (rate > 0) {
            counters.messagesDue = (long) Math.floor(rate * config.duration().toNanos() / 1e9);
        }
    }

    /**
     * Open loop, after the drain or when a connection times out: each message planned in the measured
     * window and still unanswered goes into the corrected histogram with the time it has waited so far
     * (at least the drain, so never a small number), and is counted as unanswered. A lower bound, but it
     * keeps a server that stops answering, or never answers some connections, from hiding it.
     */
    private void finishConnection(Connection c, long now) {
        if (rate == 0 || c.finished) {
            return;
        }
        for (long m = c.messagesDone; c.plannedNanos(m) < endNanos; m++) {
            long planned = c.plannedNanos(m);
            if (planned >= measureFromNanos) {
                record(corrected, now - planned);
                counters.unansweredMessages++;
            }
        }
        c.finished = true;                                // counted once
    }

    /** Open loop: is any message planned before the end still unanswered on an open connection? */
    private boolean outstandingInWindow() {
        for (Connection c : connections) {
            if (c.open && c.plannedNanos(c.messagesDone) < endNanos) {
                return true;
            }
        }
        return false;
    }

    private void closeQuietly(Connection c) {
        c.open = false;
        if (c.channel == null) {
            return;
        }
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // the connection is being dropped either way
        }
    }
}
