package echolab.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Lifeline;

/**
 * One of the catalogue's teaching servers on port 0 in this JVM, and a blocking client: what the JMH
 * benchmarks and the allocation profile measure, with no process between them and the server.
 */
public final class InProcessServer implements AutoCloseable {

    private final EchoServer server;
    private final Thread loop;

    public InProcessServer(String name) throws IOException {
        Lifeline.watchIfAsked(name + " in-process");      // a JMH fork or an allocation recorder ends with its tool
        EchoServer.Factory factory = ServerCatalogue.teachingServer(name).factory();
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
        return new Client(server.address(), size);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        loop.join(5_000);
    }

    /** One connection: sends {@code size} bytes and reads them all back, reusing one buffer. */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] message;
        private final byte[] echo;

        Client(InetSocketAddress address, int size) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(address, 5_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            message = new byte[size];
            for (int i = 0; i < size; i++) {
                message[i] = (byte) (i * 31 + 7);
            }
            echo = new byte[size];
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
