package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import echolab.contract.TestClient;
import echolab.contract.WireContract;

/**
 * The peers (Netty and native C, each over epoll and over io_uring, and the Python peers) hold to the echo
 * contract on the wire, as the teaching servers do in-process: every byte value, a burst larger than any buffer,
 * half-close with data pending, a message longer than the buffer as soon as a small one (no Nagle), a client
 * that never reads beside one that does, hundreds of connections at once, resets, a clean stop, and the threads
 * each holds per connection, read from /proc. An io_uring peer is skipped, with the reason, only where it cannot
 * be built or the kernel refuses io_uring; an asyncore peer only on a Python without asyncore (3.12 and later);
 * py-blocking, which serves one connection at a time, is not asked to serve two at once, and the test says so.
 * An integration test: the Netty peers run from the packaged bench.jar.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReferencePeersIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static NativePeers peers;

    @BeforeAll
    static void build() throws Exception {
        peers = NativePeers.build(ROOT);
    }

    private static ServerProcess start(String server) throws Exception {
        ServerCatalogue.Entry entry = ServerCatalogue.named(server, ServerCatalogue.runnable());
        Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), peers);
        String problem = launcher.unavailable(entry, ROOT);
        if (problem != null && (server.endsWith("-uring") || problem.contains("no C compiler") || problem.contains("PEP 594"))) {
            assumeTrue(false, server + " skipped here: " + problem);
        }
        assertEquals(null, problem, "an epoll peer runs wherever there is a C compiler and a packaged bench.jar, a Python peer "
                + "wherever Debian's python3 has its libraries (.ci/run installs them)");
        return launcher.start(entry, ROOT, List.of());
    }

    /** Every peer: the JVM's and the native ones, then the Python peers. */
    static List<String> peers() {
        List<String> peers = new ArrayList<>(List.of("netty", "netty-uring", "native", "native-uring"));
        peers.addAll(ServerCatalogue.names(ServerCatalogue.python()));
        return peers;
    }

    /** A peer that serves one connection at a time is not asked to serve two: the test says so, naming the model. */
    private static void concurrent(String server) {
        assumeTrue(!ServerCatalogue.named(server, ServerCatalogue.runnable()).oneAtATime(),
                server + " serves one connection at a time (its model, as sync-echo's): a test of connections served together does not apply");
    }

    private static InetSocketAddress at(ServerProcess p) {
        return new InetSocketAddress("127.0.0.1", p.port());
    }

    @ParameterizedTest
    @MethodSource("peers")
    void everyByteValueABurstAndHalfCloseComeBackIntact(String server) throws Exception {
        try (ServerProcess p = start(server)) {
            WireContract.everyByteValueABurstAndHalfClose(at(p));
        }
    }

    @ParameterizedTest
    @MethodSource("peers")
    void aMessageLargerThanTheBufferComesBackAboutAsSoonAsASmallOne(String server) throws Exception {
        try (ServerProcess p = start(server)) {
            WireContract.aLargeMessageDoesNotWait(at(p));
        }
    }

    @ParameterizedTest
    @MethodSource("peers")
    void aClientThatNeverReadsDoesNotHoldUpTheOthers(String server) throws Exception {
        concurrent(server);
        try (ServerProcess p = start(server)) {
            WireContract.aClientThatNeverReads(at(p));
        }
    }

    @ParameterizedTest
    @MethodSource("peers")
    void fiveHundredConnectionsAreEachServedAndResetsDoNotStopTheServer(String server) throws Exception {
        concurrent(server);
        try (ServerProcess p = start(server)) {
            WireContract.fiveHundredAndResets(at(p));
            ServerProcess.Stopped stopped = p.stop();
            if (server.startsWith("native")) {
                assertTrue(p.lastWords().contains("stopped; " + WireContract.SERVED_BY_FIVE_HUNDRED + " connections served"), p.lastWords());
            } else {
                assertEquals(WireContract.SERVED_BY_FIVE_HUNDRED, stopped.summary().served(), "connections served, by the stop summary");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("pythonPeers")
    void aPythonPeerHoldsTheThreadsItsModelSaysPerConnection(String server) throws Exception {
        ServerCatalogue.PythonPeer peer = ServerCatalogue.named(server, ServerCatalogue.python());
        concurrent(server);
        try (ServerProcess p = start(server)) {
            int before = p.sampleNow().threads();
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    TestClient c = TestClient.connect(at(p));
                    clients.add(c);
                    assertArrayEquals(new byte[] {(byte) i}, c.roundTrip(new byte[] {(byte) i}));   // served: its thread, if any, runs
                }
                int added = p.sampleNow().threads() - before;
                switch (peer.threads()) {
                    case ONE_PLATFORM_THREAD -> assertTrue(added >= 50, server + ": a thread per connection, " + added + " for 50");
                    case NONE -> assertTrue(added <= 2, server + ": no thread per connection, " + added + " more for 50");
                    default -> throw new AssertionError(server + ": a Python peer has no " + peer.threads());
                }
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
        }
    }

    static List<String> pythonPeers() {
        return ServerCatalogue.names(ServerCatalogue.python());
    }

    /**
     * Out of descriptors (under a limit of 40, with 80 clients): the peer reports the failed accepts at most once a
     * second, with a count, and serves again once the clients are gone. uvloop's libuv accepts and closes what it
     * cannot hold and reports nothing; it is held to the recovery only.
     */
    @ParameterizedTest
    @MethodSource("pythonPeers")
    void aPythonPeerOutOfDescriptorsReportsOnceASecondAndServesAgain(String server) throws Exception {
        concurrent(server);
        ServerCatalogue.Entry entry = ServerCatalogue.named(server, ServerCatalogue.python());
        Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), peers);
        assumeTrue(launcher.unavailable(entry, ROOT) == null || !launcher.unavailable(entry, ROOT).contains("PEP 594"),
                server + " skipped here: " + launcher.unavailable(entry, ROOT));
        try (ServerProcess p = launcher.start(entry, ROOT, List.of(), List.of("prlimit", "--nofile=40:40", "--"))) {
            List<java.net.Socket> held = new ArrayList<>();
            long from = System.nanoTime();
            try {
                for (int i = 0; i < 80; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(at(p), 1_000);
                        held.add(s);
                    } catch (java.io.IOException backlogFull) {
                        s.close();
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!server.equals("py-uvloop") && !p.stderrText().contains("accept failed") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(2_000);                          // a window of failing accepts, to count the lines in
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
            double seconds = (System.nanoTime() - from) / 1e9;
            long lines = p.stderrText().lines().filter(l -> l.contains("accept failed")).count();
            if (!server.equals("py-uvloop")) {
                assertTrue(lines >= 1 && lines <= seconds + 2, server + ": " + lines + " lines in " + seconds + " s:\n" + p.stderrText());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean served = false;
            while (!served && System.nanoTime() < deadline) {
                try (TestClient c = TestClient.connect(at(p))) {
                    served = java.util.Arrays.equals("again".getBytes(), c.roundTrip("again".getBytes()));
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertTrue(served, server + " serves again once descriptors are free:\n" + p.stderrText());
            assertTrue(!p.stderrText().contains("Traceback"), server + ": " + p.stderrText());
        }
    }
}
