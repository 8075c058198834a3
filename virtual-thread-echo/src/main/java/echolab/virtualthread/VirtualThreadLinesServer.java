package echolab.virtualthread;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * Virtual-thread lines: the virtual-thread server, answering each message whole once its terminator is in
 * (a byte string, {@code \n} by default, or a byte count): framing as a loop that reads until the end of a
 * message and writes the message back.
 *
 * <p>Cost: what the virtual-thread server costs, and a buffer that holds what has arrived of the next
 * message (up to the 64 KiB bound); an answer costs a write of its own. Compare with
 * {@code SelectorLinesServer}: the same protocol as asynchat's callbacks, its state kept between events,
 * where here it is the loop's local variables.
 */
public final class VirtualThreadLinesServer implements EchoServer {

    // ==== 1. Listen ====
    // Bind a listening socket. The kernel completes handshakes by itself and queues new
    // connections in the backlog until we accept them.
    private static final int BACKLOG = 4096;
    private static final int BUFFER_SIZE = 8 * 1024;

    private final ServerSocket listener = new ServerSocket();
    private final Connections connections;
    private final byte[] terminator;                     // where a message ends, or null:
    private final int count;                             // a message is this many bytes

    public VirtualThreadLinesServer(InetSocketAddress address, Connections connections) throws IOException {
        this(address, connections, Framing.LINE);
    }

    public VirtualThreadLinesServer(InetSocketAddress address, Connections connections, Framing framing) throws IOException {
        this.connections = connections;
        this.terminator = framing instanceof Framing.Terminator t ? t.bytes() : null;
        this.count = framing instanceof Framing.Count c ? c.bytes() : 0;
        listener.bind(address, BACKLOG);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    // ==== 2. Wait for work and dispatch ====
    // accept() blocks until a client arrives; we hand the connection to a new thread of its own and go
    // straight back to accept(). Each thread runs section 3 and blocks as it likes. When no thread can
    // be had (out of memory, or the process's thread limit), that one connection is refused and the
    // loop goes on: a loop that died here would leave a server that listens and never accepts.
    @Override
    public void serve() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                try {
                    Thread.ofVirtual().start(() -> serveOne(connection));    // a new virtual thread
                } catch (OutOfMemoryError e) {
                    connections.refused(connection, e);
                }
            } catch (IOException e) {
                connections.acceptFailed(e);     // e.g. out of file descriptors: wait a moment, go on
            }
        }
    }

    // ==== 3. Echo one connection ====
    // Read until a message ends, write the whole message back, go on. One read may hold half a
    // message or ten, so the buffer keeps what has arrived of the next one (held), and the search for
    // the terminator resumes where the last one stopped (searched): a terminator may arrive split
    // across two reads. write() blocks while the client is not reading: backpressure for free. At the
    // half-close (read() returns -1), what follows the last terminator goes back as it is.
    private void echo(Socket connection) throws IOException {
        connection.setTcpNoDelay(true);         // no Nagle: an answer leaves now, not after an ACK
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        byte[] buffer = new byte[BUFFER_SIZE];   // grows to the bound, Framing.MAX_MESSAGE, at most
        int start = 0;                           // where the next message begins
        int held = 0;                            // read, up to here
        int searched = 0;                        // where the search for the terminator resumes
        while (true) {
            int end = messageEnd(buffer, start, searched, held);
            if (end > 0) {                       // a whole message: answer it, look for the next
                out.write(buffer, start, end - start);
                connections.echoed(end - start);
                start = end;
                searched = end;
                continue;
            }
            System.arraycopy(buffer, start, buffer, 0, held - start);   // what is left of it, to the front
            held -= start;
            searched = terminator == null ? 0 : Math.max(0, held - terminator.length + 1);   // it may have begun at the end
            start = 0;
            if (held == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(Framing.MAX_MESSAGE, 2 * buffer.length));
            }
            int n = in.read(buffer, held, buffer.length - held);
            if (n == -1) {                       // the client half-closed
                out.write(buffer, 0, held);
                connections.echoed(held);
                return;
            }
            held += n;
        }
    }

    // Where the first whole message in buffer[start..held) ends, searching from searched; 0 when none.
    private int messageEnd(byte[] buffer, int start, int searched, int held) {
        if (terminator == null) {
            return held - start >= count ? start + count : 0;
        }
        for (int i = searched; i + terminator.length <= held; i++) {
            if (Arrays.equals(buffer, i, i + terminator.length, terminator, 0, terminator.length)) {
                return i + terminator.length;
            }
        }
        if (held - start == Framing.MAX_MESSAGE) {   // the bound, and no terminator: answered as it is, counted
            connections.overBound();
            return held;
        }
        return 0;
    }

    // ==== 4. Errors and close ====
    // Whatever happens to one connection (a reset, a bug) ends that connection only: one line
    // to stderr, the socket closed, and the server goes on.
    private void serveOne(Socket connection) {
        connections.opened(connection);
        try (connection) {
            echo(connection);
        } catch (IOException | RuntimeException e) {
            connections.failed(connection, e);
        } finally {
            connections.closed(connection);
        }
    }

    // ==== 5. Stop ====
    // Closing a socket wakes the thread blocked on it with an exception: the listener's
    // accept() ends serve(), each connection's read() or write() ends that connection.
    @Override
    public void close() throws IOException {
        connections.stopping();
        listener.close();
        connections.closeAll();
    }
}

// Run it: ./echolab serve virtual-thread-lines    then, in another terminal: nc 127.0.0.1 7007
