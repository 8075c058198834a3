package echolab.contract;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import echolab.common.Framing;

/**
 * The framing contract of the line servers (PROTOCOL.md, "Messages over the stream") as a client sees it on the
 * wire: each check needs only an address and a server framing its messages as the check's {@link Check#framing}
 * says. Written once: {@link FramingContract} runs every check in-process (and reads the server's count of
 * messages over the bound), and the tests of the line servers as processes run them on the wire, Java and
 * Python alike. "Nothing comes back" is a read that must time out after {@value #QUIET_MILLIS} ms; every other
 * wait is the client's read timeout.
 */
public final class FramingChecks {

    /** How long a client listens for an answer that must not come. */
    public static final int QUIET_MILLIS = 300;

    private static final int MiB = 1024 * 1024;

    /** A check on a server framing as {@code framing} says; {@code overBound}: the messages over the bound it makes the server count. */
    public record Check(String name, Framing framing, long overBound, WireContract.Body body) {
    }

    /** A two-byte terminator, for the check of one split across reads. */
    public static final Framing CRLF = new Framing.Terminator(ascii("\r\n"));

    /** A byte count, for the check of a count as the terminator. */
    public static final Framing FIVE_BYTES = new Framing.Count(5);

    /** Every check, in the order they run. */
    public static final List<Check> CHECKS = List.of(
            new Check("nothingOfAMessageComesBackBeforeItsTerminator", Framing.LINE, 0, FramingChecks::nothingBeforeTheTerminator),
            new Check("manyMessagesInOneSegmentAreEachAnsweredInOrder", Framing.LINE, 0, FramingChecks::manyInOneSegment),
            new Check("oneMessageSplitOverManySegmentsComesBackWhole", Framing.LINE, 0, FramingChecks::oneOverManySegments),
            new Check("aTwoByteTerminatorSplitAcrossTwoReadsIsFound", CRLF, 0, FramingChecks::aSplitTerminator),
            new Check("aByteCountAsTheTerminator", FIVE_BYTES, 0, FramingChecks::aByteCount),
            new Check("aClientThatNeverSendsATerminatorIsAnsweredABoundAtATime", Framing.LINE, 8 * MiB / Framing.MAX_MESSAGE,
                    FramingChecks::neverATerminator),
            new Check("aMessagePastTheBoundIsAnsweredAsItIsAndTheRestAsTheNextMessage", Framing.LINE, 1, FramingChecks::pastTheBound),
            new Check("whatFollowsTheLastTerminatorComesBackAtTheHalfClose", Framing.LINE, 0, FramingChecks::theRestAtTheHalfClose),
            new Check("aWholeStreamOfAnyBytesComesBackByteForByte", Framing.LINE, 0, FramingChecks::aWholeStream),
            new Check("aClientThatSendsLinesAndNeverReadsIsHeldBackWhileAnotherIsServed", Framing.LINE, 0,
                    FramingChecks::aClientThatNeverReads),
            new Check("aLineComesBackAboutAsSoonAsItsTerminatorAlone", Framing.LINE, 0, FramingChecks::aLineDoesNotWait),
            new Check("fiveHundredConnectionsAreEachServedAndResetsDoNotStopTheServer", Framing.LINE, 0,
                    server -> WireContract.fiveHundredAndResets(server, "\n")));

    private FramingChecks() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    /** Nothing arrives within {@link #QUIET_MILLIS}: the server holds what it has of a message. */
    static void assertNothingComesBack(TestClient client, String what) throws IOException {
        int timeout = client.socket.getSoTimeout();
        client.socket.setSoTimeout(QUIET_MILLIS);
        try {
            assertThrows(SocketTimeoutException.class, () -> client.read(new byte[1]), what);
        } finally {
            client.socket.setSoTimeout(timeout);
        }
    }

    public static void nothingBeforeTheTerminator(InetSocketAddress server) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            c.write(ascii("hello, "));
            assertNothingComesBack(c, "half a line came back before its \\n");
            c.write(ascii("echo-lab\n"));
            assertArrayEquals(ascii("hello, echo-lab\n"), c.readExactly(16));
        }
    }

    public static void manyInOneSegment(InetSocketAddress server) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            lines.append("message ").append(i).append('\n');
        }
        byte[] sent = ascii(lines.toString());
        try (TestClient c = TestClient.connect(server)) {
            c.write(sent);
            assertArrayEquals(sent, c.readExactly(sent.length));
        }
    }

    /** {@code size} random bytes (from {@code seed}) that hold no {@code \n} but the last, which is one. */
    static byte[] randomLine(int size, long seed) {
        byte[] line = TestClient.randomBytes(size, seed);
        for (int i = 0; i < line.length; i++) {
            line[i] = line[i] == '\n' ? (byte) ' ' : line[i];
        }
        line[line.length - 1] = '\n';
        return line;
    }

    public static void oneOverManySegments(InetSocketAddress server) throws Exception {
        byte[] message = randomLine(40_000, 34);
        try (TestClient c = TestClient.connect(server)) {
            for (int from = 0; from < message.length - 1; from += 1_000) {
                c.write(Arrays.copyOfRange(message, from, Math.min(from + 1_000, message.length - 1)));
            }
            assertNothingComesBack(c, "part of a message came back before its terminator");
            c.write(new byte[] {'\n'});
            assertArrayEquals(message, c.readExactly(message.length));
        }
    }

    /** Against a server whose terminator is {@link #CRLF}. */
    public static void aSplitTerminator(InetSocketAddress server) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
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

    /** Against a server whose messages are {@link #FIVE_BYTES}. */
    public static void aByteCount(InetSocketAddress server) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            c.write(ascii("abcdefgh"));
            assertArrayEquals(ascii("abcde"), c.readExactly(5));
            assertNothingComesBack(c, "three bytes of a five-byte message came back");
            c.write(ascii("ij"));
            assertArrayEquals(ascii("fghij"), c.readExactly(5));
        }
    }

    /** 8 MiB with no terminator: answered a bound at a time while it is sent (never held whole). */
    public static void neverATerminator(InetSocketAddress server) throws Exception {
        byte[] sent = new byte[8 * MiB];                            // zeros: no \n anywhere
        try (TestClient c = TestClient.connect(server)) {
            CompletableFuture<Void> written = c.writeAsync(sent);
            assertArrayEquals(sent, c.readExactly(sent.length), "the 8 MiB came back while it was sent");
            written.get(30, TimeUnit.SECONDS);
        }
    }

    public static void pastTheBound(InetSocketAddress server) throws Exception {
        byte[] sent = new byte[Framing.MAX_MESSAGE + 10];
        Arrays.fill(sent, (byte) 'x');
        sent[sent.length - 1] = '\n';
        try (TestClient c = TestClient.connect(server)) {
            c.write(sent);
            assertArrayEquals(sent, c.readExactly(sent.length));
        }
    }

    public static void theRestAtTheHalfClose(InetSocketAddress server) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            c.write(ascii("a line\nand the rest"));
            assertArrayEquals(ascii("a line\n"), c.readExactly(7));
            c.shutdownOutput();
            assertArrayEquals(ascii("and the rest"), c.readExactly(12));
            assertEquals(-1, c.read(new byte[1]), "then the end of the stream");
        }
    }

    /** 8 MiB of every byte value, read while it is written, then the half-close: the stream comes back byte for byte. */
    public static void aWholeStream(InetSocketAddress server) throws Exception {
        byte[] sent = TestClient.randomBytes(8 * MiB, 862);
        try (TestClient c = TestClient.connect(server)) {
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

    /**
     * A 64 B line comes back about as soon as a line of its terminator alone: an answer written in two pieces (the
     * message, then its terminator) without TCP_NODELAY waits for the client's delayed acknowledgement.
     */
    public static void aLineDoesNotWait(InetSocketAddress server) throws Exception {
        byte[] line = randomLine(64, 64);
        try (TestClient c = TestClient.connect(server)) {
            EchoContract.assertComesBackAboutAsSoon(c, line, "a 64 B line", new byte[] {'\n'}, "its terminator alone");
        }
    }

    /** A client that sends lines and never reads: the server stops taking them, and serves another meanwhile. */
    public static void aClientThatNeverReads(InetSocketAddress server) throws Exception {
        byte[] lines = new byte[64 * 1024];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + i % 26);
        }
        try (TestClient stuck = TestClient.connect(server, 64 * 1024)) {
            AtomicLong taken = new AtomicLong();
            Thread writer = stuck.writeWithoutReading(lines, 64L * MiB, taken);
            TestClient.waitUntilStalled(taken, 1_000, 20_000);
            assertTrue(taken.get() < 64L * MiB,
                    "the server stopped reading a client that does not read: it took " + taken.get() / MiB + " MiB");
            try (TestClient other = TestClient.connect(server)) {
                assertArrayEquals(ascii("still served\n"), other.roundTrip(ascii("still served\n")));
            }
            stuck.reset();
            writer.join(10_000);
        }
    }
}
