package echolab.contract;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Framing;

/**
 * The framing contract of the line servers (PROTOCOL.md, "Messages over the stream"), its checks written once
 * in {@link FramingChecks} and run here in-process against each on port 0, where the count of messages over the
 * bound is read from the server too: nothing of a message comes back before its
 * terminator; many messages in one segment are each answered, in order; a message split over many segments,
 * or a two-byte terminator split across two reads, comes back whole; a byte count as the terminator; a
 * client that never sends a terminator is answered a bound at a time, and each such message is counted; what
 * follows the last terminator comes back at the half-close, so that a whole stream of any bytes comes back
 * byte for byte; a client that sends lines and never reads is held back while another is served; a line comes
 * back about as soon as its terminator alone (no answer in pieces held by Nagle's algorithm); five hundred
 * connections at once are each answered, and resets with data in flight do not stop the server. The echo
 * contract's tests that wait for the echo of bytes with no terminator cannot apply to a line server, which
 * holds them by design: those of the stream and of backpressure are here, in lines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FramingContract {

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

    /** Runs {@code check} against the server framing as it asks; then the messages over the bound it counted. */
    private void run(String name) throws Exception {
        FramingChecks.Check check = FramingChecks.CHECKS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        try (Running r = new Running(check.framing())) {
            check.body().run(r.server.address());
            assertEquals(check.overBound(), r.connections.overBoundCount(), "messages over the bound, counted");
        }
    }

    @Test
    void nothingOfAMessageComesBackBeforeItsTerminator() throws Exception {
        run("nothingOfAMessageComesBackBeforeItsTerminator");
    }

    @Test
    void manyMessagesInOneSegmentAreEachAnsweredInOrder() throws Exception {
        run("manyMessagesInOneSegmentAreEachAnsweredInOrder");
    }

    @Test
    void oneMessageSplitOverManySegmentsComesBackWhole() throws Exception {
        run("oneMessageSplitOverManySegmentsComesBackWhole");
    }

    @Test
    void aTwoByteTerminatorSplitAcrossTwoReadsIsFound() throws Exception {
        run("aTwoByteTerminatorSplitAcrossTwoReadsIsFound");
    }

    @Test
    void aByteCountAsTheTerminator() throws Exception {
        run("aByteCountAsTheTerminator");
    }

    @Test
    void aClientThatNeverSendsATerminatorIsAnsweredABoundAtATime() throws Exception {
        run("aClientThatNeverSendsATerminatorIsAnsweredABoundAtATime");
    }

    @Test
    void aMessagePastTheBoundIsAnsweredAsItIsAndTheRestAsTheNextMessage() throws Exception {
        run("aMessagePastTheBoundIsAnsweredAsItIsAndTheRestAsTheNextMessage");
    }

    @Test
    void whatFollowsTheLastTerminatorComesBackAtTheHalfClose() throws Exception {
        run("whatFollowsTheLastTerminatorComesBackAtTheHalfClose");
    }

    @Test
    void aWholeStreamOfAnyBytesComesBackByteForByte() throws Exception {
        run("aWholeStreamOfAnyBytesComesBackByteForByte");
    }

    @Test
    void aClientThatSendsLinesAndNeverReadsIsHeldBackWhileAnotherIsServed() throws Exception {
        run("aClientThatSendsLinesAndNeverReadsIsHeldBackWhileAnotherIsServed");
    }

    /** Every check of the wire is a test here too, by the same name: the two forms cannot drift apart. */
    @Test
    void everyCheckOnTheWireIsATestHere() {
        java.util.Set<String> tests = new java.util.TreeSet<>();
        for (java.lang.reflect.Method m : FramingContract.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) && !m.getName().equals("everyCheckOnTheWireIsATestHere")) {
                tests.add(m.getName());
            }
        }
        assertEquals(new java.util.TreeSet<>(FramingChecks.CHECKS.stream().map(FramingChecks.Check::name).toList()), tests);
    }

    @Test
    void fiveHundredConnectionsAreEachServedAndResetsDoNotStopTheServer() throws Exception {
        run("fiveHundredConnectionsAreEachServedAndResetsDoNotStopTheServer");
    }

    @Test
    void aLineComesBackAboutAsSoonAsItsTerminatorAlone() throws Exception {
        run("aLineComesBackAboutAsSoonAsItsTerminatorAlone");
    }

    /**
     * The line server {@code name} run from the command line as {@code ./echolab serve} runs it (its main class in
     * its stream twin's jar, {@code --port 0}): it prints its listening line, answers a line sent in two pieces
     * once it is whole, and on SIGTERM stops within 5 s with its summary on stderr; a bad {@code --terminator} is a
     * usage error that says what is wrong.
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
                c.write(FramingChecks.ascii("one\ntw"));
                assertArrayEquals(FramingChecks.ascii("one\n"), c.readExactly(4));
                c.write(FramingChecks.ascii("o\n"));
                assertArrayEquals(FramingChecks.ascii("two\n"), c.readExactly(4));
                server.toHandle().destroy();                        // SIGTERM
                assertTrue(server.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            }
            String stderr = new String(server.getErrorStream().readAllBytes(), US_ASCII);
            assertTrue(stderr.contains(name + ": stopped; 1 connection served, 8 bytes echoed"),
                    "no summary on stderr: " + stderr);
        } finally {
            server.destroyForcibly();
        }
        Process bad = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", jar.toString(), mainClass,
                "--port", "0", "--terminator", "\\q").redirectErrorStream(true).start();
        String said = new String(bad.getInputStream().readAllBytes(), US_ASCII);
        assertTrue(bad.waitFor(10, TimeUnit.SECONDS), "a bad --terminator ends it");
        assertEquals(2, bad.exitValue(), "a bad --terminator is a usage error: " + said);
        assertTrue(said.contains("unknown escape \\q"), "it says what is wrong: " + said);
    }
}
