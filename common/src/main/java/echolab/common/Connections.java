package echolab.common;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bookkeeping a server does beside echoing: which connections are open (so that a stop can close
 * them), how many were served, how many bytes were echoed, and the one-line report of a failed connection.
 *
 * <p>Thread-safe: the blocking servers call it from many threads at once.
 */
public final class Connections {

    private final String serverName;
    private final PrintStream log;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final LongAdder served = new LongAdder();
    private final LongAdder bytesEchoed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();
    private volatile boolean stopping;

    public Connections(String serverName) {
        this(serverName, System.err);
    }

    public Connections(String serverName, PrintStream log) {
        this.serverName = serverName;
        this.log = log;
    }

    /** A connection was accepted. If the server is already stopping, the connection is closed at once. */
    public void opened(Closeable connection) {
        served.increment();
        open.add(connection);
        if (stopping) {
            closeQuietly(connection);
        }
    }

    /** A connection ended, whatever the reason. */
    public void closed(Closeable connection) {
        open.remove(connection);
    }

    /** {@code n} more bytes were written back to a client. */
    public void echoed(long n) {
        bytesEchoed.add(n);
        if (INJECTED_SPIN_NANOS > 0) {
            spin();
        }
    }

    /**
     * Test-only: {@code -Decholab.inject.spinNanos=N} burns N ns of CPU per echo, so that
     * {@code ./echolab check --inject-slowdown} can prove it catches a slower candidate without touching
     * a teaching file. Zero (the default) costs nothing: the JIT folds the check away.
     */
    private static final long INJECTED_SPIN_NANOS = Long.getLong("echolab.inject.spinNanos", 0);

    private static void spin() {
        long until = System.nanoTime() + INJECTED_SPIN_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** One line to the log for a connection that failed; silent for failures caused by {@link #stopping()}. */
    public void failed(Closeable connection, Exception e) {
        failed.increment();
        if (!stopping) {
            log.println(serverName + ": " + describe(connection) + ": " + message(e));
        }
    }

    /** Accepting failed (e.g. out of file descriptors): one line, then a short pause so the loop cannot spin. */
    public void acceptFailed(Exception e) {
        if (stopping) {
            return;
        }
        acceptFailures.increment();
        log.println(serverName + ": accept failed: " + message(e));
        try {
            Thread.sleep(10);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
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

    public int openCount() {
        return open.size();
    }

    /** The one-line summary printed when a server stops. */
    public String summary() {
        long served = served();
        return serverName + ": stopped; " + served + (served == 1 ? " connection" : " connections")
                + " served, " + bytesEchoed() + " bytes echoed";
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

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
