package echolab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.sun.management.ThreadMXBean;

/**
 * One event loop of the load generator: a Selector over its share of the connections. It connects,
 * ramps up (one echo per connection), then runs its {@link Schedule} over the warm-up and the measured
 * window; it reads, checks every echoed byte ({@link StreamVerifier}) and watches for timeouts. What
 * to send and what to count is the schedule's. Nothing is allocated per message.
 */
final class Worker implements Runnable {

    private static final long TIMEOUT_CHECK_NANOS = 100_000_000L;

    private final LoadConfig config;
    private Connection[] connections;              // an array: the loops over it allocate nothing
    private final int firstConnection;
    private final int connectionCount;
    private final StreamVerifier stream;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(StreamVerifier.CHUNK);
    private final Consumer<SelectionKey> handler = this::handle;   // one object, not one per select
    private final long connectDeadlineNanos;
    final Accounting accounting = new Accounting();
    private Selector selector;
    private Schedule schedule;
    private long measureFromNanos;
    private long endNanos;

    Worker(LoadConfig config, int firstConnection, int connectionCount, StreamVerifier.Pattern pattern) {
        this.config = config;
        this.firstConnection = firstConnection;
        this.connectionCount = connectionCount;
        this.stream = new StreamVerifier(pattern);
        this.connectDeadlineNanos = System.nanoTime() + config.connectTimeout().toNanos();
    }

    long measureFromNanos() {
        return measureFromNanos;
    }

    long endNanos() {
        return endNanos;
    }

    // ---- connect and ramp up ----------------------------------------------------------------------

    void connect() throws IOException {
        selector = Selector.open();
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        connections = new Connection[connectionCount];
        for (int i = 0; i < connectionCount; i++) {
            Connection c = new Connection(firstConnection + i, i, config.size(), config.pipeline(), stream);
            connections[i] = c;
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
        while (pendingConnects() > 0 && System.nanoTime() < connectDeadlineNanos) {
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
        accounting.connectionsOpened++;
    }

    private void connectFailed(Connection c, IOException e) {
        accounting.connectFailures++;
        accounting.error("connect: " + e.getMessage());
        c.close();
    }

    /** One message per connection, until each has been echoed once (bounded; see {@link RampUp}). */
    void rampUp() throws IOException {
        long now = System.nanoTime();
        RampUp rampUp = new RampUp(accounting, stream, now, config.rampUp().toNanos());
        schedule = rampUp;
        for (Connection c : connections) {
            if (c.open) {
                begin(c, now);
            }
        }
        while (accounting.connectionsOpened > 0 && !rampUp.over(now)) {
            selector.select(handler, Math.max(1, rampUp.waitNanos(now) / 1_000_000));
            now = System.nanoTime();
        }
        rampUp.end(now);
    }

    /** Sets the common start of the warm-up; call after {@link #rampUp()} and before {@link #run()}. */
    void startAt(long startNanos) {
        measureFromNanos = startNanos + config.warmup().toNanos();
        endNanos = measureFromNanos + config.duration().toNanos();
        schedule = config.openLoop()
                ? new OpenLoop(config, this, connections, accounting, stream, startNanos, measureFromNanos, endNanos)
                : new ClosedLoop(config, accounting, stream, measureFromNanos, endNanos);
    }

    // ---- the loop ---------------------------------------------------------------------------------

    @Override
    public void run() {
        ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try {
            if (accounting.connectionsOpened == 0) {
                return;                                    // nothing to drive: report the connect failures now
            }
            long start = measureFromNanos - config.warmup().toNanos();
            waitUntil(start);
            long now = System.nanoTime();
            for (Connection c : connections) {
                c.lastProgressNanos = now;
                if (c.open) {
                    begin(c, now);
                }
            }
            boolean measuring = false;
            long cpuAtMeasure = 0;
            long allocatedAtMeasure = 0;
            long nextTimeoutCheck = now + TIMEOUT_CHECK_NANOS;
            while (now < endNanos || schedule.draining(now)) {
                if (!measuring && now >= measureFromNanos) {
                    measuring = true;
                    cpuAtMeasure = thread.getCurrentThreadCpuTime();
                    allocatedAtMeasure = thread.getCurrentThreadAllocatedBytes();
                    accounting.spinNanos = 0;
                }
                long waitNanos = Math.min(Math.min(schedule.nextDue(), endNanos), nextTimeoutCheck) - now;
                long iterationStart = now;
                int ready = waitNanos >= 1_000_000
                        ? selector.select(handler, waitNanos / 1_000_000)
                        : selector.selectNow(handler);
                now = System.nanoTime();
                boolean sent = false;
                if (now >= schedule.nextDue()) {
                    schedule.sendDue(now);
                    sent = true;
                }
                if (ready == 0 && !sent && waitNanos < 1_000_000) {
                    // Spinning until a message is due: let anything else runnable on this core (the
                    // kernel's softirq thread delivering loopback packets, for one) go first.
                    Thread.yield();
                    if (measuring) {
                        accounting.spinNanos += System.nanoTime() - iterationStart;   // idle, not load
                    }
                }
                if (now >= nextTimeoutCheck) {
                    checkTimeouts(now);
                    nextTimeoutCheck = now + TIMEOUT_CHECK_NANOS;
                }
            }
            if (measuring) {
                accounting.cpuNanos = thread.getCurrentThreadCpuTime() - cpuAtMeasure;
                accounting.allocatedBytes = thread.getCurrentThreadAllocatedBytes() - allocatedAtMeasure;
                accounting.windowNanos = Math.min(System.nanoTime(), endNanos) - measureFromNanos;
            }
            finish(System.nanoTime());
        } catch (IOException e) {
            accounting.error("generator: " + e.getMessage());
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing at the end of the run: nothing left to report to
            }
        }
    }

    private void begin(Connection c, long now) {
        try {
            schedule.begin(c, now);
        } catch (IOException e) {
            failed(c, e);
        }
    }

    /** Parks until this JVM's clock reads {@code nanos}. */
    static void waitUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Called by the selector for each ready key, without a selected-key set to walk and clear. */
    private void handle(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        long now = System.nanoTime();
        try {
            if (key.isValid() && key.isReadable()) {
                read(c, now);
            }
            if (c.open && key.isValid() && key.isWritable()) {
                c.flush(stream);
                schedule.writable(c, now);
            }
        } catch (IOException e) {
            failed(c, e);
        }
    }

    void failed(Connection c, IOException e) {
        accounting.resets++;
        accounting.error("connection " + c.id + ": " + e.getMessage());
        c.close();
    }

    // ---- receiving --------------------------------------------------------------------------------

    private void read(Connection c, long now) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n == -1) {
            if (c.bytesReceived < c.bytesSent) {
                accounting.shortReads++;
                accounting.error("connection " + c.id + ": closed by the server with "
                        + (c.bytesSent - c.bytesReceived) + " bytes not echoed");
            } else {
                accounting.unexpectedCloses++;
                accounting.error("connection " + c.id + ": closed by the server");
            }
            c.close();
            return;
        }
        if (n == 0) {
            return;
        }
        if (c.bytesReceived + n > c.bytesSent) {
            accounting.mismatches++;
            accounting.error("connection " + c.id + ": received more bytes than were sent");
            c.close();
            return;
        }
        readBuffer.flip();
        int at = stream.mismatch(readBuffer, c.streamStart, c.bytesReceived);
        if (at != -1) {
            accounting.mismatches++;
            accounting.error("connection " + c.id + ": echoed byte " + (c.bytesReceived + at) + " differs from the byte sent");
            c.close();
            return;
        }
        c.bytesReceived += n;
        c.lastProgressNanos = now;
        long size = config.size();
        while (c.bytesReceived >= (c.messagesDone + 1) * size) {
            long message = c.messagesDone++;
            c.answered++;
            schedule.answered(c, message, now);
        }
        schedule.afterRead(c, now);
    }

    // ---- timeouts and the end ---------------------------------------------------------------------

    private void checkTimeouts(long now) {
        long limit = config.responseTimeout().toNanos();
        for (Connection c : connections) {
            if (c.open && c.inFlight() > 0 && now - c.lastProgressNanos > limit) {
                accounting.timedOutConnections++;
                accounting.error("connection " + c.id + ": no response for " + config.responseTimeout().toMillis() + " ms");
                schedule.abandon(c, now, true);
                c.close();
            }
        }
    }

    private void finish(long now) {
        for (Connection c : connections) {
            if (c.open) {
                schedule.abandon(c, now, false);
            }
        }
        for (Connection c : connections) {
            if (c.connected && c.answered == 0) {
                accounting.starvedConnections++;
            } else if (c.connected && c.answeredInWindow == 0) {
                accounting.starvedInWindow++;
            }
        }
        schedule.finish();
    }
}
