package echolab.common;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bookkeeping a server does beside echoing: which connections are open (so that a stop can close
 * them), how many were served, how many bytes were echoed, and the reports of what failed. A fault
 * that repeats (out of descriptors, a storm of resets) is logged once and then counted: at most one
 * line a second per kind, the next saying how many more there were.
 *
 * <p>Thread-safe: the blocking servers call it from many threads at once.
 */
public final class Connections {

    /** How long an accept loop stops accepting after a failure, e.g. while out of file descriptors. */
    public static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);

    private final String serverName;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final LongAdder served = new LongAdder();
    private final LongAdder bytesEchoed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder overBound = new LongAdder();
    private final RateLimitedLog connectionLog;
    private final RateLimitedLog acceptLog;
    private final RateLimitedLog refusedLog;
    private int active;                                    // opened and not yet closed; guarded by this
    private volatile boolean stopping;

    public Connections(String serverName) {
        this(serverName, System.err);
    }

    public Connections(String serverName, PrintStream log) {
        this.serverName = serverName;
        this.connectionLog = new RateLimitedLog(log, serverName + ": ");
        this.acceptLog = new RateLimitedLog(log, serverName + ": accept failed: ");
        this.refusedLog = new RateLimitedLog(log, serverName + ": connection refused: ");
    }

    /** A connection was accepted. If the server is already stopping, the connection is closed at once. */
    public void opened(Closeable connection) {
        served.increment();
        open.add(connection);
        synchronized (this) {
            active++;
        }
        if (stopping) {
            closeQuietly(connection);
        }
    }

    /** A connection ended, whatever the reason: its last byte has been counted. */
    public void closed(Closeable connection) {
        if (open.remove(connection)) {
            synchronized (this) {
                active--;
                notifyAll();
            }
        }
    }

    /** A line server answered a message that reached its bound without its terminator, as it was (PROTOCOL.md). */
    public void overBound() {
        overBound.increment();
    }

    /** {@code n} more bytes were written back to a client. */
    public void echoed(long n) {
        bytesEchoed.add(n);
        if (INJECTED_SPIN_NANOS > 0) {
            spin();
        }
        if (INJECTED_WRITE != null) {
            extraWrite();
        }
    }

    /**
     * Test-only: {@code -Decholab.inject.spinNanos=N} burns N ns of CPU per echo, so that
     * {@code ./echolab check --inject-slowdown} can prove it catches a slower candidate without touching
     * a teaching file. Zero (the default) costs nothing: the JIT folds the check away.
     */
    private static final long INJECTED_SPIN_NANOS = Long.getLong("echolab.inject.spinNanos", 0);

    /** Test-only: {@code -Decholab.inject.extraWrite=true} makes one more write system call per echo (to /dev/null). */
    private static final FileOutputStream INJECTED_WRITE = Boolean.getBoolean("echolab.inject.extraWrite") ? devNull() : null;

    private static void spin() {
        long until = System.nanoTime() + INJECTED_SPIN_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static void extraWrite() {
        try {
            INJECTED_WRITE.write(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileOutputStream devNull() {
        try {
            return new FileOutputStream("/dev/null");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection failed: reported (at most a line a second, then a count); silent once {@link #stopping()}. */
    public void failed(Closeable connection, Exception e) {
        failed.increment();
        if (!stopping) {
            connectionLog.report(describe(connection) + ": " + message(e));
        }
    }

    /**
     * Accepting failed (e.g. out of file descriptors): reported, and the calling accept loop waits
     * {@link #ACCEPT_PAUSE} before it tries again, so it cannot spin. For a blocking accept loop, whose
     * thread has nothing else to do; an event loop uses {@link #acceptFailedRetryAt}.
     */
    public void acceptFailed(Exception e) {
        long retryAt = acceptFailedRetryAt(e);
        long wait;
        while (!stopping && (wait = retryAt - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Accepting failed: reported; returns the {@link System#nanoTime()} before which not to accept again. */
    public long acceptFailedRetryAt(Exception e) {
        if (!stopping) {
            acceptFailures.increment();
            acceptLog.report(message(e));
        }
        return System.nanoTime() + ACCEPT_PAUSE.toNanos();
    }

    /**
     * An accepted connection could not be served (no thread could be started for it: out of threads or
     * memory): it is closed at once, reported, and the server goes on accepting.
     */
    public void refused(Closeable connection, Throwable why) {
        refused.increment();
        closeQuietly(connection);
        if (!stopping) {
            refusedLog.report(describe(connection) + ": " + message(why));
        }
    }

    /** From now on, closed-socket errors are expected and no new connection survives {@link #opened}. */
    public void stopping() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** Closes every open connection (after {@link #stopping()}). */
    public void closeAll() {
        stopping = true;
        for (Closeable connection : open) {
            closeQuietly(connection);
        }
    }

    /** Waits, at most {@code limit}, until every opened connection has been {@link #closed}; true if all were. */
    public synchronized boolean awaitAllClosed(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long wait;
        while (active > 0 && (wait = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, wait);
        }
        return active == 0;
    }

    public long served() {
        return served.sum();
    }

    public long bytesEchoed() {
        return bytesEchoed.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public long acceptFailures() {
        return acceptFailures.sum();
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long overBoundCount() {
        return overBound.sum();
    }

    public int openCount() {
        return open.size();
    }

    /** The connections open now, as the server handed them over (a Socket or a SocketChannel): for the contract. */
    public List<Closeable> openConnections() {
        return List.copyOf(open);
    }

    /** The one-line summary printed when a server stops. */
    public String summary() {
        long served = served();
        StringBuilder s = new StringBuilder(serverName + ": stopped; " + served + (served == 1 ? " connection" : " connections")
                + " served, " + bytesEchoed() + " bytes echoed");
        if (failedCount() > 0) {
            s.append(", ").append(failedCount()).append(" failed");
        }
        if (acceptFailures() > 0) {
            s.append(", ").append(acceptFailures()).append(" accept failures");
        }
        if (refusedCount() > 0) {
            s.append(", ").append(refusedCount()).append(" refused (no thread)");
        }
        if (overBoundCount() > 0) {
            s.append(", ").append(overBoundCount()).append(overBoundCount() == 1 ? " message" : " messages").append(" over the bound");
        }
        return s.toString();
    }

    private void closeQuietly(Closeable connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // Closing during a stop: there is nobody left to tell, and the stop goes on.
            failed.increment();
        }
    }

    private static String describe(Closeable connection) {
        try {
            if (connection instanceof Socket socket) {
                return String.valueOf(socket.getRemoteSocketAddress());
            }
            if (connection instanceof SocketChannel channel) {
                return String.valueOf(channel.getRemoteAddress());
            }
            if (connection instanceof NetworkChannel channel) {
                return String.valueOf(channel.getLocalAddress());
            }
        } catch (IOException e) {
            return "connection";
        }
        return "connection";
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
