package echolab.common;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What the plumbing needs from a teaching server: where it listens, a loop to run, a way to stop.
 *
 * <p>The constructor of an implementation binds the listening socket (so a port conflict is reported
 * before anything is printed), {@link #serve()} runs the server on the calling thread until
 * {@link #close()} is called from another thread, and then returns.
 */
public interface EchoServer extends AutoCloseable {

    /** The address actually bound: with port 0 the kernel picks the port. */
    InetSocketAddress address();

    /** Serves connections on the calling thread until {@link #close()}; then returns. */
    void serve() throws IOException;

    /** Stops accepting, closes every connection and makes {@link #serve()} return. Safe from any thread. */
    @Override
    void close() throws IOException;

    /** How the plumbing creates a server: bind to {@code address}, report to {@code connections}. */
    @FunctionalInterface
    interface Factory {
        EchoServer open(InetSocketAddress address, Connections connections) throws IOException;
    }
}
