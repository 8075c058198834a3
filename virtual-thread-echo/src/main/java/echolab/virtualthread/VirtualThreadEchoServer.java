package echolab.virtualthread;

import echolab.common.Connections;
import echolab.common.EchoServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Virtual-thread echo: blocking sockets, one virtual thread per connection.
 *
 * <p>Cost: a virtual thread per client, a small stack on the heap that the JDK parks while its socket
 * has nothing to read, run on a few carrier threads; the code is still plain blocking code. Compare
 * with {@code ThreadPerConnEchoServer}: this file differs from it in the line that starts a thread.
 */
public final class VirtualThreadEchoServer implements EchoServer {

    // ==== 1. Listen ====
    // Bind a listening socket. The kernel completes handshakes by itself and queues new
    // connections in the backlog until we accept them.
    private static final int BACKLOG = 4096;
    private static final int BUFFER_SIZE = 8 * 1024;

    private final ServerSocket listener = new ServerSocket();
    private final Connections connections;

    public VirtualThreadEchoServer(InetSocketAddress address, Connections connections) throws IOException {
        this.connections = connections;
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
    // Read what has arrived (one byte up to a buffer) and write it back. write() blocks until the
    // kernel has taken every byte, so a client that stops reading stops us reading from it:
    // backpressure for free, one buffer per connection. read() returns -1 at the client's
    // half-close, and by then everything it sent has been written back.
    private void echo(Socket connection) throws IOException {
        connection.setTcpNoDelay(true);         // no Nagle: a write leaves now, not after an ACK
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buffer)) != -1) {   // -1: the client half-closed
            out.write(buffer, 0, n);              // blocks while the client is not reading
            connections.echoed(n);
        }
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

// Run it: ./echolab serve virtual-thread    then, in another terminal: nc 127.0.0.1 7007
