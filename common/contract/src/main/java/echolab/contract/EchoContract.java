package echolab.contract;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.ThreadsPerConnection;

/**
 * The echo contract (PROTOCOL.md), written once and run against every server in-process on port 0.
 * A server module runs it with a three-line subclass that names its factory.
 *
 * <p>Every wait is bounded (socket timeouts, polls with deadlines, a per-test timeout), so a broken
 * server fails a test rather than hanging the build.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class EchoContract {

    private static final int MiB = 1024 * 1024;

    /** The server under test. */
    protected abstract EchoServer.Factory factory();

    /** False for a server that handles one connection at a time (sync-echo). */
    protected boolean servesConcurrently() {
        return true;
    }

    /** The model of the server under test, which {@link #eachHeldConnectionCostsTheThreadsOfItsModel} checks. */
    protected abstract ThreadsPerConnection threadsPerConnection();

    protected InetSocketAddress address;
    protected Connections connections;
    private EchoServer server;
    private Thread loop;
    private volatile Throwable loopFailure;
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        connections = new Connections("server-under-test", new PrintStream(serverLog, true));
        server = factory().open(new InetSocketAddress("127.0.0.1", 0), connections);
        address = server.address();
        loop = Thread.ofPlatform().name("serve-loop").start(() -> {
            try {
                server.serve();
            } catch (Throwable e) {
                loopFailure = e;
            }
        });
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        loop.join(5_000);
        assertFalse(loop.isAlive(), "serve() did not return within 5 s of close()");
        assertNull(loopFailure, () -> "serve() failed: " + loopFailure);
    }

    // ---- the basics ---------------------------------------------------------------------------

    @Test
    void oneRoundTrip() throws IOException {
        try (TestClient client = TestClient.connect(address)) {
            assertArrayEquals("hello, echo-lab\n".getBytes(US_ASCII), client.roundTrip("hello, echo-lab\n".getBytes(US_ASCII)));
        }
    }

    @Test
    void twentyThousandMessagesPipelinedInOneWrite() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            all.write(String.format("message %05d\n", i).getBytes(US_ASCII));
        }
        byte[] sent = all.toByteArray();
        try (TestClient client = TestClient.connect(address)) {
            CompletableFuture<Void> written = client.writeAsync(sent);
            assertArrayEquals(sent, client.readExactly(sent.length));
            written.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMessageSentOneByteAtATime() throws IOException {
        byte[] message = "one byte at a time".getBytes(US_ASCII);
        try (TestClient client = TestClient.connect(address)) {
            for (byte b : message) {
                client.write(new byte[] {b});
            }
            assertArrayEquals(message, client.readExactly(message.length));
        }
    }

    @Test
    void allByteValuesComeBackUnchanged() throws IOException {
        byte[] message = new byte[256 * 4];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (255 - i % 256);
        }
        try (TestClient client = TestClient.connect(address)) {
            assertArrayEquals(message, client.roundTrip(message));
        }
    }

    // ---- replies in pieces -------------------------------------------------------------------

    /**
     * A reply written in more than one piece (a message longer than the server's buffer) must not wait on
     * Nagle's algorithm, which holds a small piece while an earlier one is unacknowledged: the client,
     * still waiting for the rest of its message, delays that acknowledgement by its timer (40 ms on Linux).
     * So every connection the server holds has TCP_NODELAY set, read from the server's own socket.
     */
    @Test
    void everyConnectionHasNagleOff() throws Exception {
        try (TestClient client = TestClient.connect(address)) {
            client.roundTrip(TestClient.randomBytes(64, 3));           // served, so set up by now
            List<java.io.Closeable> held = connections.openConnections();
            assertEquals(1, held.size(), "connections the server holds");
            assertTrue(noDelay(held.get(0)), "the server's socket for this connection has TCP_NODELAY off: "
                    + "a reply written in pieces waits for the client's delayed ACK");
        }
    }

    /**
     * The same on the wire, as a client sees it: a message longer than every server's buffer comes back
     * about as soon as a small one. Without TCP_NODELAY such a round trip takes the delayed-ACK timer
     * (about 44 ms here, 100 to 270 times a 64 B one); with it, 1.5 to 5 times. Timed against the small
     * message's round trip, interleaved on one connection, so what the machine's speed and load do to both
     * cancels out: a ratio, not a time.
     */
    @Test
    void aMessageLargerThanTheBufferComesBackAboutAsSoonAsASmallOne() throws IOException {
        try (TestClient client = TestClient.connect(address)) {
            assertPiecesDoNotWait(client);
        }
    }

    /** Asserts what {@link #aMessageLargerThanTheBufferComesBackAboutAsSoonAsASmallOne} says, on any connection. */
    public static void assertPiecesDoNotWait(TestClient client) throws IOException {
        byte[] small = TestClient.randomBytes(64, 1);
        for (int size : new int[] {16 * 1024, 64 * 1024 + 1}) {             // above the buffers of 8 and 64 KiB
            assertComesBackAboutAsSoon(client, TestClient.randomBytes(size, size), String.format("a %,d B message", size),
                    small, "a 64 B one");
        }
    }

    /**
     * {@code message} comes back about as soon as {@code reference} does, each in its round trip on {@code client}: a
     * ratio of medians over 25 alternating round trips (after 5 to warm), measured in the same run, under 30. A reply
     * written in pieces without TCP_NODELAY waits for the client's delayed acknowledgement (40 ms on Linux) and fails.
     */
    public static void assertComesBackAboutAsSoon(TestClient client, byte[] message, String what, byte[] reference, String than)
            throws IOException {
        for (int i = 0; i < 5; i++) {                                      // warm: the first round trips are slow
            roundTripNanos(client, reference);
            roundTripNanos(client, message);
        }
        long[] referenceNanos = new long[25];
        long[] messageNanos = new long[25];
        for (int i = 0; i < referenceNanos.length; i++) {
            referenceNanos[i] = roundTripNanos(client, reference);
            messageNanos[i] = roundTripNanos(client, message);
        }
        double ratio = (double) median(messageNanos) / median(referenceNanos);
        System.out.printf("pieces: %s took %.1fx %s (medians %,d and %,d ns)%n", what, ratio, than, median(messageNanos),
                median(referenceNanos));
        assertTrue(ratio < 30, String.format("%s took %.0fx as long as %s (medians %,d and %,d ns over %d round trips each): "
                + "is its answer written in pieces with Nagle's algorithm on (no TCP_NODELAY)?", what, ratio, than,
                median(messageNanos), median(referenceNanos), referenceNanos.length));
    }

    // ---- half-close and bulk ------------------------------------------------------------------

    /**
     * The client writes 2 MiB and half-closes while much of the echo is still to come; it reads all the
     * while (slowly, so the echo lags), so nothing depends on how much the kernel buffers. Everything
     * must come back, then EOF.
     */
    @Test
    void halfCloseWithDataPendingGetsEverythingThenEof() throws Exception {
        byte[] sent = TestClient.randomBytes(2 * MiB, 862);
        try (TestClient client = TestClient.connect(address, 64 * 1024)) {
            AtomicLong received = new AtomicLong();
            CompletableFuture<byte[]> echo = CompletableFuture.supplyAsync(() -> client.readSlowly(sent.length, received));
            client.write(sent);
            long pendingAtHalfClose = sent.length - received.get();
            client.shutdownOutput();
            assertTrue(pendingAtHalfClose > 0, "no echo was pending at the half-close: the test proved nothing");
            assertArrayEquals(sent, echo.get(30, TimeUnit.SECONDS));
            assertEquals(-1, client.read(new byte[1]), "expected EOF after the echo of a half-closed stream");
            System.out.printf("half-close: %d KiB of the echo still pending when the client half-closed%n", pendingAtHalfClose / 1024);
        }
    }

    @Test
    void eightMiBBurstWhileReadingComesBackIntact() throws Exception {
        byte[] sent = TestClient.randomBytes(8 * MiB, 7);
        try (TestClient client = TestClient.connect(address)) {
            CompletableFuture<Void> written = client.writeAsync(sent);
            assertArrayEquals(sent, client.readExactly(sent.length));
            written.get(10, TimeUnit.SECONDS);
        }
    }

    // ---- hostile clients ----------------------------------------------------------------------

    /**
     * A client writes 256 MiB and never reads. A server with backpressure stops reading from it once
     * its bounded buffer is full, so the client's writes stall after the kernel buffers fill (tens of
     * MiB on loopback) and the server's heap does not grow. A server that kept reading would take all
     * 256 MiB. Meanwhile others are still served (sync-echo: only after the hog leaves).
     */
    @Test
    void clientThatNeverReadsIsHeldBackAndMemoryStaysBounded() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);
        AtomicLong accepted = new AtomicLong();
        try (TestClient hog = TestClient.connect(address, 64 * 1024)) {
            Thread writer = hog.writeWithoutReading(TestClient.randomBytes(64 * 1024, 1), 256L * MiB, accepted);
            TestClient.waitUntilStalled(accepted, 1_000, 30_000);
            long heapDuring = usedHeapAfterGc(memory);
            System.out.printf("never-reading client: %d MiB accepted of 256 MiB; server heap %+d KiB%n",
                    accepted.get() / MiB, (heapDuring - heapBefore) / 1024);
            assertTrue(accepted.get() < 128L * MiB,
                    "the server kept reading from a client that never reads: " + accepted.get() / MiB + " MiB taken");
            assertTrue(heapDuring - heapBefore < 32L * MiB,
                    "heap grew by " + (heapDuring - heapBefore) / MiB + " MiB while a client never read");
            if (servesConcurrently()) {
                try (TestClient other = TestClient.connect(address)) {
                    assertArrayEquals(new byte[] {1, 2, 3}, other.roundTrip(new byte[] {1, 2, 3}));
                }
            }
            hog.reset();
            writer.join(5_000);
        }
        try (TestClient after = TestClient.connect(address)) {
            assertArrayEquals(new byte[] {4, 5, 6}, after.roundTrip(new byte[] {4, 5, 6}));
        }
    }

    /**
     * One client sends and reads nothing until the server is stuck writing its echo back; meanwhile twenty
     * other clients are served; then it reads everything: every byte must be its own. A server whose
     * connections share a buffer has by then overwritten the bytes it was still writing back to the first
     * client with the others' bytes; a server that keeps what it could not write per connection (as
     * selector-echo copies it) has not. Unlike the streams above, this does not wait for two threads to
     * happen to run at the same instant: the stuck write holds the buffer for as long as the test likes.
     */
    @Test
    void aStalledEchoKeepsItsOwnBytesWhileOthersAreServed() throws Exception {
        assumeTrue(servesConcurrently(), "serves one connection at a time");
        byte[] chunk = TestClient.randomBytes(64 * 1024, 21);
        long limit = 64L * MiB;
        AtomicLong taken = new AtomicLong();
        try (TestClient late = TestClient.connect(address, 64 * 1024)) {
            Thread writer = late.writeWithoutReading(chunk, limit, taken);
            TestClient.waitUntilStalled(taken, 1_000, 30_000);
            assertTrue(taken.get() < limit, "the server never stopped taking bytes from a client that did not read");
            for (int i = 0; i < 20; i++) {
                try (TestClient other = TestClient.connect(address)) {
                    byte[] m = TestClient.randomBytes(8 * 1024, 2_100 + i);
                    assertArrayEquals(m, other.roundTrip(m), "client " + i + " beside the stalled one");
                }
            }
            for (long read = 0; read < limit; read += chunk.length) {
                assertArrayEquals(chunk, late.readExactly(chunk.length),
                        "the stalled client got bytes that are not its own, " + read / 1024 + " KiB into its echo");
            }
            writer.join(10_000);
        }
    }

    @Test
    void slowReaderThatStartsAfterThreeSecondsGetsEveryByte() throws Exception {
        byte[] sent = TestClient.randomBytes(16 * MiB, 3);
        try (TestClient client = TestClient.connect(address)) {
            CompletableFuture<Void> written = client.writeAsync(sent);
            Thread.sleep(3_000);
            assertArrayEquals(sent, client.readExactly(sent.length));
            written.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Fifty clients vanish mid-echo with a reset. Each costs the server one failed connection, which it
     * must close: afterwards it still serves, its books show nothing open, and this process holds no more
     * file descriptors than before (a server that swallows the error without closing leaks one each).
     */
    @Test
    void fiftyConnectionsResetMidStreamDoNotStopTheServer() throws Exception {
        long descriptorsBefore = openDescriptors();
        byte[] chunk = TestClient.randomBytes(64 * 1024, 50);
        for (int i = 0; i < 50; i++) {
            TestClient client = TestClient.connect(address);
            client.writeAsync(chunk);
            client.readExactly(1024);              // the echo has started...
            client.reset();                        // ...and the client vanishes with a RST
        }
        try (TestClient survivor = TestClient.connect(address)) {
            assertArrayEquals(new byte[] {9, 8, 7}, survivor.roundTrip(new byte[] {9, 8, 7}));
        }
        waitFor(() -> connections.openCount() == 0, 10_000, "reset connections were never closed by the server");
        waitFor(() -> openDescriptors() <= descriptorsBefore + 2, 10_000, () -> "the server leaked descriptors: "
                + descriptorsBefore + " open before fifty reset connections, " + openDescriptors() + " after they were gone");
    }

    /**
     * Ten connections that have each had an echo and then sit idle cost the server no CPU. A server that
     * asks for events it has no use for (OP_WRITE on every channel, a channel at end of stream left
     * readable) is woken again and again and spins a core. Measured as the CPU time of this JVM's threads
     * (the test's own excepted) over a second, against the second.
     */
    @Test
    void idleConnectionsCostNoCpu() throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                TestClient client = TestClient.connect(address);
                clients.add(client);
                if (i == 0 || servesConcurrently()) {
                    assertArrayEquals(new byte[] {(byte) i}, client.roundTrip(new byte[] {(byte) i}));
                }
            }
            Thread.sleep(200);
            long cpuBefore = otherThreadsCpuNanos();
            long wallBefore = System.nanoTime();
            Thread.sleep(1_000);
            double share = (otherThreadsCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
            assertTrue(share < 0.2, String.format("the server used %.0f%% of a core while ten connections sat idle", 100 * share));
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    /** A connection is counted as served when it is accepted, not when it ends. */
    @Test
    void aConnectionIsCountedWhenItIsAcceptedNotWhenItEnds() throws Exception {
        int n = servesConcurrently() ? 3 : 1;
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                TestClient client = TestClient.connect(address);
                clients.add(client);
                assertArrayEquals(new byte[] {(byte) (40 + i)}, client.roundTrip(new byte[] {(byte) (40 + i)}));
            }
            assertEquals(n, connections.served(), "connections served while " + n + " are connected and answered");
            assertEquals(n, connections.openCount(), "connections the server holds open");
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
        waitFor(() -> connections.openCount() == 0, 10_000, "closed clients were never closed by the server");
        assertEquals(n, connections.served(), "closing counted a connection again");
    }

    @Test
    void stopClosesAConnectedClient() throws Exception {
        try (TestClient client = TestClient.connect(address)) {
            client.roundTrip(new byte[] {1});
            server.close();
            byte[] buffer = new byte[16];
            try {
                assertEquals(-1, client.read(buffer), "expected EOF once the server stopped");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server stopped but left this connection open", e);
            } catch (IOException resetIsFineToo) {
                // A reset is an acceptable way for a stopping server to drop a connection.
            }
        }
    }

    /** Stopping waits for the connections still finishing, so the summary counts their last writes. */
    @Test
    void afterAStopEveryConnectionIsClosedAndEveryEchoedByteCounted() throws Exception {
        byte[] sent = TestClient.randomBytes(256 * 1024, 4);
        try (TestClient client = TestClient.connect(address)) {
            assertArrayEquals(sent, client.roundTrip(sent));
            server.close();
            assertTrue(connections.awaitAllClosed(java.time.Duration.ofSeconds(5)), "a connection was still open 5 s after close()");
            assertEquals(sent.length, connections.bytesEchoed());
        }
    }

    /** A server that was opened but never served still gives its port back when closed. */
    @Test
    void closingAServerThatNeverServedReleasesItsPort() throws Exception {
        EchoServer idle = factory().open(new InetSocketAddress("127.0.0.1", 0), new Connections("never-served"));
        int port = idle.address().getPort();
        idle.close();
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));   // fails if close() left the listener open
        }
    }

    // ---- the model -----------------------------------------------------------------------------

    /**
     * The model itself, measured in the server's process: 200 connections held open (each answered once,
     * where the server serves more than one at a time) change the count of live platform threads (the
     * JVM's thread MXBean) and of virtual threads (a JSON thread dump, which lists them) by what the model
     * says: nothing for sync and selector, one platform thread each for thread-per-conn, one virtual thread
     * each and no platform thread beyond a few carriers for virtual-thread. A virtual-thread server that
     * starts platform threads, or a selector that hands connections to threads, fails here.
     */
    @Test
    void eachHeldConnectionCostsTheThreadsOfItsModel() throws Exception {
        int held = 200;
        List<TestClient> clients = new ArrayList<>();
        try {
            TestClient first = TestClient.connect(address);
            clients.add(first);
            assertArrayEquals(new byte[] {1}, first.roundTrip(new byte[] {1}));
            ThreadCounts before = ThreadCounts.now();
            for (int i = 0; i < held; i++) {
                TestClient client = TestClient.connect(address);
                clients.add(client);
                if (servesConcurrently()) {
                    assertArrayEquals(new byte[] {(byte) i}, client.roundTrip(new byte[] {(byte) i}));
                }
            }
            ThreadCounts after = ThreadCounts.now();
            long platform = after.platform() - before.platform();
            long virtual = after.virtual() - before.virtual();
            ThreadsPerConnection model = threadsPerConnection();
            String measured = String.format("%d held connections added %d platform and %d virtual threads; the model: %s",
                    held, platform, virtual, model.words);
            System.out.println(measured);
            assertTrue(model.platformThreadsFit(platform, held) && model.virtualThreadsFit(virtual, held), measured);
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    /** Live platform threads and virtual threads of this JVM, the latter from a JSON thread dump. */
    private record ThreadCounts(long platform, long virtual) {
        static ThreadCounts now() throws IOException {
            java.nio.file.Path dump = java.nio.file.Files.createTempFile("echolab-threads", ".json");
            try {
                java.nio.file.Files.delete(dump);            // dumpThreads will not overwrite a file
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                long virtual = java.util.regex.Pattern.compile("\"virtual\"\\s*:\\s*true")
                        .matcher(java.nio.file.Files.readString(dump)).results().count();
                return new ThreadCounts(ManagementFactory.getThreadMXBean().getThreadCount(), virtual);
            } finally {
                java.nio.file.Files.deleteIfExists(dump);
            }
        }
    }

    // ---- many connections ---------------------------------------------------------------------

    @Test
    void twoThousandConcurrentConnectionsAreEachServed() throws Exception {
        assumeTrue(servesConcurrently(), "serves one connection at a time");
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                clients.add(TestClient.connect(address));
            }
            waitFor(() -> connections.openCount() == 2_000, 20_000,
                    "the server never held 2,000 connections open at once");
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).write(String.format("connection %04d", i).getBytes(US_ASCII));
            }
            for (int i = 0; i < clients.size(); i++) {
                assertEquals(String.format("connection %04d", i),
                        new String(clients.get(i).readExactly(15), US_ASCII));
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void interleavedTrafficOnFiftyConnectionsStaysSeparate() throws Exception {
        assumeTrue(servesConcurrently(), "serves one connection at a time");
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(TestClient.connect(address));
            }
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).write(TestClient.randomBytes(100 + i * 37, round * 1_000L + i));
                }
                for (int i = 0; i < clients.size(); i++) {
                    byte[] expected = TestClient.randomBytes(100 + i * 37, round * 1_000L + i);
                    assertArrayEquals(expected, clients.get(i).readExactly(expected.length),
                            "connection " + i + " round " + round);
                }
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    /**
     * Sixteen clients stream two MiB each at the same time, each reading its own echo as it goes: every
     * connection gets its own bytes back, in order. A server whose connections share state (one buffer
     * for all, say) mixes them up here, where the small exchanges above may never overlap.
     */
    @Test
    void sixteenConnectionsStreamingAtOnceKeepTheirBytesApart() throws Exception {
        assumeTrue(servesConcurrently(), "serves one connection at a time");
        List<TestClient> clients = new ArrayList<>();
        List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                TestClient client = TestClient.connect(address);
                clients.add(client);
                byte[] data = TestClient.randomBytes(2 * MiB, 1_600 + i);
                sent.add(data);
            }
            for (int i = 0; i < 16; i++) {
                TestClient client = clients.get(i);
                int length = sent.get(i).length;
                echoes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.readExactly(length);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, runnable -> Thread.ofPlatform().daemon().start(runnable)));
                client.writeAsync(sent.get(i));
            }
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get(30, TimeUnit.SECONDS), "connection " + i + " got other bytes back");
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void secondClientIsServedWhileTheFirstStaysConnected() throws Exception {
        assumeTrue(servesConcurrently(), "serves one connection at a time");
        try (TestClient first = TestClient.connect(address); TestClient second = TestClient.connect(address)) {
            first.roundTrip(new byte[] {1});
            assertArrayEquals(new byte[] {2}, second.roundTrip(new byte[] {2}));
        }
    }

    /** The lesson of sync-echo: the second client waits in the backlog until the first leaves. */
    @Test
    void oneAtATimeServerServesTheSecondClientOnlyAfterTheFirstLeaves() throws Exception {
        assumeFalse(servesConcurrently(), "serves connections concurrently");
        try (TestClient first = TestClient.connect(address); TestClient second = TestClient.connect(address)) {
            assertArrayEquals(new byte[] {1}, first.roundTrip(new byte[] {1}));
            second.write(new byte[] {2});
            second.socket.setSoTimeout(1_000);
            assertThrows(SocketTimeoutException.class, () -> second.readExactly(1),
                    "the second client was answered while the first was still connected");
            first.close();
            second.socket.setSoTimeout(TestClient.READ_TIMEOUT_MILLIS);
            assertArrayEquals(new byte[] {2}, second.readExactly(1));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void waitFor(BooleanSupplier condition, long maxMillis, String failure) throws InterruptedException {
        waitFor(condition, maxMillis, () -> failure);
    }

    private static void waitFor(BooleanSupplier condition, long maxMillis, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(20);
        }
    }

    private static boolean noDelay(java.io.Closeable connection) throws IOException {
        return switch (connection) {
            case java.net.Socket socket -> socket.getTcpNoDelay();
            case java.nio.channels.SocketChannel channel -> channel.getOption(java.net.StandardSocketOptions.TCP_NODELAY);
            default -> throw new AssertionError("a connection that is neither a Socket nor a SocketChannel: " + connection);
        };
    }

    private static long roundTripNanos(TestClient client, byte[] message) throws IOException {
        long start = System.nanoTime();
        assertArrayEquals(message, client.roundTrip(message));
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Descriptors this process has open (/proc/self/fd); -1 where /proc is not there. */
    private static long openDescriptors() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** CPU time of every Java thread of this JVM but the calling one (virtual threads count through their carriers). */
    private static long otherThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = id == self ? -1 : threads.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
