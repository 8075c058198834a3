package echolab.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The echo contract as a client sees it on the wire, for a server that runs as a process of its own (the
 * Netty, native and Python peers, an exercise's broken Python file): only an address, no hook inside the
 * server. Written once; ReferencePeersIT runs each check on every peer, and {@code exercise run} and
 * {@code exercise check} run them all on a Python file. Every wait is bounded (the client's timeouts, polls
 * with deadlines), so a broken server fails a check rather than hanging it.
 */
public final class WireContract {

    private static final int MiB = 1024 * 1024;

    /** A check on a server at an address; {@code concurrent}: it needs the server to serve two connections at once. */
    public record Check(String name, boolean concurrent, Body body) {
    }

    /** A check's body: an AssertionError (or any exception) when the server breaks the contract. */
    @FunctionalInterface
    public interface Body {
        void run(InetSocketAddress server) throws Exception;
    }

    /** Every check, in the order they run. */
    public static final List<Check> CHECKS = List.of(
            new Check("everyByteValueABurstAndHalfCloseComeBackIntact", false, WireContract::everyByteValueABurstAndHalfClose),
            new Check("aMessageLargerThanTheBufferComesBackAboutAsSoonAsASmallOne", false, WireContract::aLargeMessageDoesNotWait),
            new Check("aClientThatNeverReadsDoesNotHoldUpTheOthers", true, WireContract::aClientThatNeverReads),
            new Check("fiveHundredConnectionsAreEachServedAndResetsDoNotStopTheServer", true, WireContract::fiveHundredAndResets));

    /** The connections {@link #fiveHundredAndResets} opens, and one more after: what the server's stop summary counts. */
    public static final int SERVED_BY_FIVE_HUNDRED = 501;

    private WireContract() {
    }

    /** Every byte value, an 8 MiB burst read while it is written, and data pending at the client's half-close. */
    public static void everyByteValueABurstAndHalfClose(InetSocketAddress server) throws Exception {
        byte[] all = new byte[256 * 64];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (TestClient c = TestClient.connect(server)) {
            assertArrayEquals(all, c.roundTrip(all));
        }
        byte[] burst = TestClient.randomBytes(8 * MiB, 862);
        try (TestClient c = TestClient.connect(server)) {
            CompletableFuture<Void> written = c.writeAsync(burst);
            assertArrayEquals(burst, c.readExactly(burst.length), "an 8 MiB burst, read while it is written");
            written.get(30, TimeUnit.SECONDS);
        }
        byte[] pending = TestClient.randomBytes(256 * 1024, 7);
        try (TestClient c = TestClient.connect(server)) {
            c.write(pending);
            c.shutdownOutput();
            assertArrayEquals(pending, c.readExactly(pending.length), "everything sent before the half-close");
            assertEquals(-1, c.read(new byte[1]), "then the end of the stream");
        }
    }

    /** A message longer than the server's buffer comes back about as soon as a small one (no Nagle). */
    public static void aLargeMessageDoesNotWait(InetSocketAddress server) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            EchoContract.assertPiecesDoNotWait(c);
        }
    }

    /**
     * A client that writes and never reads: the server stops taking its bytes (it holds one buffer for it, not
     * all it sends), and the others are served meanwhile.
     */
    public static void aClientThatNeverReads(InetSocketAddress server) throws Exception {
        try (TestClient stuck = TestClient.connect(server, 64 * 1024)) {
            AtomicLong taken = new AtomicLong();
            Thread writer = stuck.writeWithoutReading(new byte[64 * 1024], 64L * MiB, taken);
            TestClient.waitUntilStalled(taken, 1_000, 20_000);                 // until the server stops taking its bytes
            assertTrue(taken.get() < 64L * MiB, "the server stopped reading a client that does not read: it took "
                    + taken.get() / MiB + " MiB");
            for (int i = 0; i < 20; i++) {
                try (TestClient other = TestClient.connect(server)) {
                    byte[] m = TestClient.randomBytes(1000, i);
                    assertArrayEquals(m, other.roundTrip(m));
                }
            }
            stuck.reset();
            writer.join(10_000);
        }
    }

    /** Five hundred connections at once, each answered; fifty reset with data in flight; then one more is served. */
    public static void fiveHundredAndResets(InetSocketAddress server) throws Exception {
        fiveHundredAndResets(server, "");
    }

    /**
     * As above, each message ending with {@code end}: {@code "\n"} for a line server, which answers a message once
     * its terminator is in (the framing contract's form of this check).
     */
    public static void fiveHundredAndResets(InetSocketAddress server, String end) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                clients.add(TestClient.connect(server));
            }
            for (int i = 0; i < clients.size(); i++) {
                byte[] m = ("connection " + i + end).getBytes();
                assertArrayEquals(m, clients.get(i).roundTrip(m), "connection " + i);
            }
            for (int i = 0; i < 50; i++) {
                clients.get(i).write(new byte[4096]);
                clients.get(i).reset();
            }
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
        try (TestClient after = TestClient.connect(server)) {
            assertArrayEquals(("still here" + end).getBytes(), after.roundTrip(("still here" + end).getBytes()));
        }
    }
}
