package echolab.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import java.util.Optional;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Framing;
import echolab.common.Lifeline;

/**
 * One of the catalogue's teaching servers (or a line server) on port 0 in this JVM, and a blocking client: what
 * the JMH benchmarks and the allocation profile measure, with no process between them and the server.
 */
public final class InProcessServer implements AutoCloseable {

    private final EchoServer server;
    private final Thread loop;
    private final Optional<Framing.Terminator> terminator;

    /** The teaching server or line server called {@code name} (a line server frames with its default, {@code \n}). */
    public InProcessServer(String name) throws IOException {
        Lifeline.watchIfAsked(name + " in-process");      // a JMH fork or an allocation recorder ends with its tool
        ServerCatalogue.TeachingServer entry = ServerCatalogue.named(name, ServerCatalogue.checkable());
        terminator = entry.terminator();
        EchoServer.Factory factory = entry.factory();
        server = factory.open(new InetSocketAddress("127.0.0.1", 0),
                new Connections(name, new PrintStream(OutputStream.nullOutputStream())));
        loop = Thread.ofPlatform().daemon().name(name + "-serve").start(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public Client connect(int size) throws IOException {
        return connect(size, 1);
    }

    /** A client whose round trip sends {@code pipeline} messages of {@code size} bytes in one write, then reads them back. */
    public Client connect(int size, int pipeline) throws IOException {
        return new Client(server.address(), size, pipeline, terminator);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        loop.join(5_000);
    }

    /**
     * One connection: sends {@code pipeline} messages of {@code size} bytes in one write (for a line server each
     * ending with its terminator, which none holds before) and reads them all back, reusing one buffer.
     */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] message;
        private final byte[] echo;

        Client(InetSocketAddress address, int size, int pipeline, Optional<Framing.Terminator> terminator) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(address, 5_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            byte[] one = new byte[size];
            for (int i = 0; i < size; i++) {
                one[i] = (byte) (i * 31 + 7);
            }
            if (terminator.isPresent()) {
                byte[] end = terminator.get().bytes();
                for (int i = 0; i < size; i++) {
                    one[i] = terminator.get().contains(one[i]) ? (byte) 'x' : one[i];
                }
                System.arraycopy(end, 0, one, size - end.length, end.length);
            }
            message = new byte[size * pipeline];
            for (int m = 0; m < pipeline; m++) {
                System.arraycopy(one, 0, message, m * size, size);
            }
            echo = new byte[message.length];
        }

        /** One round trip; returns a byte of the echo so that JMH cannot discard the work. */
        public byte roundTrip() throws IOException {
            out.write(message);
            int done = 0;
            while (done < echo.length) {
                int n = in.read(echo, done, echo.length - done);
                if (n < 0) {
                    throw new IOException("the server closed the connection");
                }
                done += n;
            }
            return echo[echo.length - 1];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
