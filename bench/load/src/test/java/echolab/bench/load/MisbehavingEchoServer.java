package echolab.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Echo servers with known faults, for testing the load generator's accounting: one that corrupts a
 * byte, one that stalls once for a second, one that closes early, one that serves one connection at a
 * time, one that leaves Nagle's algorithm on (so a reply longer than its 8 KiB buffer waits for the
 * client's delayed ACK). Blocking, a thread per connection (except ONE_AT_A_TIME), loopback, port 0.
 */
final class MisbehavingEchoServer implements AutoCloseable {

    enum Fault { CORRUPT_BYTE, STALL_ONCE, CLOSE_EARLY, ONE_AT_A_TIME, NAGLE }

    static final int CORRUPT_AT = 5_000;           // stream offset of the corrupted byte
    static final int CLOSE_AFTER = 10_000;         // bytes echoed before closing
    static final long STALL_AFTER_MILLIS = 1_000;  // a connection stalls once, this long after it opened
    static final long STALL_MILLIS = 1_000;

    private final Fault fault;
    private final ServerSocket listener;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final Thread acceptor;

    MisbehavingEchoServer(Fault fault) throws IOException {
        this.fault = fault;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = listener.accept();
                if (fault == Fault.ONE_AT_A_TIME) {
                    echo(s);
                } else {
                    Thread.ofPlatform().daemon().start(() -> echo(s));
                }
            }
        } catch (IOException closed) {
            // the test closed the listener
        }
    }

    private void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(fault != Fault.NAGLE);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            long offset = 0;
            long opened = System.nanoTime();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (fault == Fault.CORRUPT_BYTE && offset <= CORRUPT_AT && CORRUPT_AT < offset + n) {
                    buffer[(int) (CORRUPT_AT - offset)] ^= 0x5A;
                }
                if (fault == Fault.STALL_ONCE && System.nanoTime() - opened > STALL_AFTER_MILLIS * 1_000_000
                        && stalled.compareAndSet(false, true)) {
                    Thread.sleep(STALL_MILLIS);
                }
                if (fault == Fault.CLOSE_EARLY && offset + n >= CLOSE_AFTER) {
                    out.write(buffer, 0, (int) (CLOSE_AFTER - offset));
                    return;
                }
                out.write(buffer, 0, n);
                offset += n;
            }
        } catch (SocketException gone) {
            // the generator closed its connections at the end of the run
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        acceptor.join(2_000);
    }
}
