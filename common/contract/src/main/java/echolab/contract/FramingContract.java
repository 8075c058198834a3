package echolab.contract;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Framing;

/**
 * The framing contract of the line servers (PROTOCOL.md, "Messages over the stream"), written once and run
 * in-process against each on port 0, beside the echo contract: nothing of a message comes back before its
 * terminator; many messages in one segment are each answered, in order; a message split over many segments,
 * or a two-byte terminator split across two reads, comes back whole; a byte count as the terminator; a
 * client that never sends a terminator is answered a bound at a time, and each such message is counted; what
 * follows the last terminator comes back at the half-close, so that a whole stream of any bytes comes back
 * byte for byte; a client that sends lines and never reads is held back while another is served. The echo
 * contract's tests that wait for the echo of bytes with no terminator cannot apply to a line server, which
 * holds them by design: those of the stream and of backpressure are here, in lines. "Nothing comes back" is
 * a read that must time out after {@value #QUIET_MILLIS} ms; every other wait is the client's read timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FramingContract {

    /** How long a client listens for an answer that must not come. */
    static final int QUIET_MILLIS = 300;

    /** The line server under test, framing its messages as {@code framing} says. */
    protected abstract EchoServer.Factory factory(Framing framing);

    /** A server serving on a thread of its own, closed (and its loop awaited) at the end of a test. */
    private final class Running implements AutoCloseable {
        final Connections connections = new Connections("server-under-test", new PrintStream(new ByteArrayOutputStream(), true));
        final EchoServer server;
        final Thread loop;
        volatile Throwable failure;

        Running(Framing framing) throws IOException {
            server = factory(framing).open(new InetSocketAddress("127.0.0.1", 0), connections);
            loop = Thread.ofPlatform().name("serve-loop").start(() -> {
                try {
                    server.serve();
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }

        TestClient connect() throws IOException {
            return TestClient.connect(server.address());
        }

        @Override
        public void close() throws Exception {
            server.close();
            loop.join(5_000);
            assertFalse(loop.isAlive(), "serve() did not return within 5 s of close()");
            assertNull(failure, () -> "serve() failed: " + failure);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    /** Nothing arrives within {@link #QUIET_MILLIS}: the server holds what it has of a message. */
    private static void assertNothingComesBack(TestClient client, String what) throws IOException {
        int timeout = client.socket.getSoTimeout();
        client.socket.setSoTimeout(QUIET_MILLIS);
        try {
            assertThrows(SocketTimeoutException.class, () -> client.read(new byte[1]), what);
        } finally {
            client.socket.setSoTimeout(timeout);
        }
    }

    @Test
    void nothingOfAMessageComesBackBeforeItsTerminator() throws Exception {
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            c.write(ascii("hello, "));
            assertNothingComesBack(c, "half a line came back before its \\n");
            c.write(ascii("echo-lab\n"));
            assertArrayEquals(ascii("hello, echo-lab\n"), c.readExactly(16));
        }
    }

    @Test
    void manyMessagesInOneSegmentAreEachAnsweredInOrder() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            lines.append("message ").append(i).append('\n');
        }
        byte[] sent = ascii(lines.toString());
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            c.write(sent);
            assertArrayEquals(sent, c.readExactly(sent.length));
        }
    }

    @Test
    void oneMessageSplitOverManySegmentsComesBackWhole() throws Exception {
        byte[] message = TestClient.randomBytes(40_000, 34);
        for (int i = 0; i < message.length; i++) {
            message[i] = message[i] == '\n' ? (byte) ' ' : message[i];
        }
        message[message.length - 1] = '\n';
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            for (int from = 0; from < message.length - 1; from += 1_000) {
                c.write(Arrays.copyOfRange(message, from, Math.min(from + 1_000, message.length - 1)));
            }
            assertNothingComesBack(c, "part of a message came back before its terminator");
            c.write(new byte[] {'\n'});
            assertArrayEquals(message, c.readExactly(message.length));
        }
    }

    @Test
    void aTwoByteTerminatorSplitAcrossTwoReadsIsFound() throws Exception {
        try (Running r = new Running(new Framing.Terminator(ascii("\r\n"))); TestClient c = r.connect()) {
            c.write(ascii("one\r"));
            assertNothingComesBack(c, "the message came back at half its terminator");
            c.write(ascii("\n"));
            assertArrayEquals(ascii("one\r\n"), c.readExactly(5));
            c.write(ascii("two\rstill two\r"));
            assertNothingComesBack(c, "a lone \\r was taken for the terminator");
            c.write(ascii("\nthree\r\n"));
            assertArrayEquals(ascii("two\rstill two\r\nthree\r\n"), c.readExactly(22));
        }
    }

    @Test
    void aByteCountAsTheTerminator() throws Exception {
        try (Running r = new Running(new Framing.Count(5)); TestClient c = r.connect()) {
            c.write(ascii("abcdefgh"));
            assertArrayEquals(ascii("abcde"), c.readExactly(5));
            assertNothingComesBack(c, "three bytes of a five-byte message came back");
            c.write(ascii("ij"));
            assertArrayEquals(ascii("fghij"), c.readExactly(5));
        }
    }

    /** 8 MiB with no terminator: answered a bound at a time while it is sent (never held whole), each counted. */
    @Test
    void aClientThatNeverSendsATerminatorIsAnsweredABoundAtATime() throws Exception {
        byte[] sent = new byte[8 * 1024 * 1024];                  // zeros: no \n anywhere
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            CompletableFuture<Void> written = c.writeAsync(sent);
            assertArrayEquals(sent, c.readExactly(sent.length), "the 8 MiB came back while it was sent");
            written.get(30, TimeUnit.SECONDS);
            assertEquals(sent.length / Framing.MAX_MESSAGE, r.connections.overBoundCount(), "messages over the bound, counted");
        }
    }

    @Test
    void aMessagePastTheBoundIsAnsweredAsItIsAndTheRestAsTheNextMessage() throws Exception {
        byte[] sent = new byte[Framing.MAX_MESSAGE + 10];
        Arrays.fill(sent, (byte) 'x');
        sent[sent.length - 1] = '\n';
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            c.write(sent);
            assertArrayEquals(sent, c.readExactly(sent.length));
            assertEquals(1, r.connections.overBoundCount(), "one message over the bound");
        }
    }

    @Test
    void whatFollowsTheLastTerminatorComesBackAtTheHalfClose() throws Exception {
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            c.write(ascii("a line\nand the rest"));
            assertArrayEquals(ascii("a line\n"), c.readExactly(7));
            c.shutdownOutput();
            assertArrayEquals(ascii("and the rest"), c.readExactly(12));
            assertEquals(-1, c.read(new byte[1]), "then the end of the stream");
        }
    }

    /** 8 MiB of every byte value, read while it is written, then the half-close: the stream comes back byte for byte. */
    @Test
    void aWholeStreamOfAnyBytesComesBackByteForByte() throws Exception {
        byte[] sent = TestClient.randomBytes(8 * 1024 * 1024, 862);
        try (Running r = new Running(Framing.LINE); TestClient c = r.connect()) {
            CompletableFuture<Void> written = c.writeAsync(sent).thenRun(() -> {
                try {
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertArrayEquals(sent, c.readExactly(sent.length));
            written.get(30, TimeUnit.SECONDS);
            assertEquals(-1, c.read(new byte[1]), "then the end of the stream");
        }
    }

    /** A client that sends lines and never reads: the server stops taking them, and serves another meanwhile. */
    @Test
    void aClientThatSendsLinesAndNeverReadsIsHeldBackWhileAnotherIsServed() throws Exception {
        byte[] lines = new byte[64 * 1024];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + i % 26);
        }
        try (Running r = new Running(Framing.LINE); TestClient stuck = TestClient.connect(r.server.address(), 64 * 1024)) {
            AtomicLong taken = new AtomicLong();
            Thread writer = stuck.writeWithoutReading(lines, 64L * 1024 * 1024, taken);
            TestClient.waitUntilStalled(taken, 1_000, 20_000);
            assertTrue(taken.get() < 64L * 1024 * 1024,
                    "the server stopped reading a client that does not read: it took " + taken.get() / (1024 * 1024) + " MiB");
            try (TestClient other = r.connect()) {
                assertArrayEquals(ascii("still served\n"), other.roundTrip(ascii("still served\n")));
            }
            stuck.reset();
            writer.join(10_000);
        }
    }

    /**
     * The line server {@code name} run from the command line as {@code ./echolab serve} runs it (its main class in
     * its stream twin's jar, {@code --port 0}): it prints its listening line, answers a line sent in two pieces
     * once it is whole, and on SIGTERM stops within 5 s with its summary on stderr.
     */
    public static void assertServesLinesFromTheCommandLine(Path jar, String mainClass, String name) throws Exception {
        assertTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath()
                + ": run 'mvn package' first");
        Process server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", jar.toString(), mainClass,
                "--port", "0").start();
        try {
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), US_ASCII)).readLine();
            assertNotNull(line, "the server exited before listening");
            Matcher listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertTrue(listening.matches(), "first line was: " + line);
            try (TestClient c = TestClient.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1))))) {
                c.write(ascii("one\ntw"));
                assertArrayEquals(ascii("one\n"), c.readExactly(4));
                c.write(ascii("o\n"));
                assertArrayEquals(ascii("two\n"), c.readExactly(4));
                server.toHandle().destroy();                        // SIGTERM
                assertTrue(server.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            }
            String stderr = new String(server.getErrorStream().readAllBytes(), US_ASCII);
            assertTrue(stderr.contains(name + ": stopped; 1 connection served, 8 bytes echoed"),
                    "no summary on stderr: " + stderr);
        } finally {
            server.destroyForcibly();
        }
    }
}
