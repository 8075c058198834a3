package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.bench.MisbehavingEchoServer.Fault;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import echolab.common.Connections;
import echolab.selector.SelectorEchoServer;

/** The generator's accounting, checked against servers whose behaviour is known. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private static LoadConfig closed(int port, int connections, Duration duration) {
        return new LoadConfig("127.0.0.1", port, connections, 64, 1, Duration.ofMillis(200), duration, 0,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 1);
    }

    private static LoadConfig open(int port, int connections, double rate, Duration duration) {
        return new LoadConfig("127.0.0.1", port, connections, 64, 1, Duration.ofMillis(200), duration, rate,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 1);
    }

    @Test
    void aCorrectServerGivesNoErrorsAndCountsEveryMessage() throws Exception {
        SelectorEchoServer server = new SelectorEchoServer(new InetSocketAddress("127.0.0.1", 0), new Connections("test"));
        Thread loop = Thread.ofPlatform().start(() -> {
            try {
                server.serve();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            LoadResult closed = LoadGenerator.run(closed(server.address().getPort(), 10, Duration.ofSeconds(1)));
            assertTrue(closed.ok(), closed.summary());
            assertEquals(10, closed.connectionsOpened());
            assertTrue(closed.messages() > 100, closed.summary());
            assertEquals(closed.messages(), closed.latency().count(), "one latency per message");
            // No allocation per message in the hot path (a few bytes per message of background noise at most).
            assertTrue(closed.generator().allocatedBytesPerMessage() < 16, closed.summary());
            assertTrue(closed.latency().p50() <= closed.latency().p99() && closed.latency().p99() <= closed.latency().max());

            LoadResult open = LoadGenerator.run(open(server.address().getPort(), 10, 2_000, Duration.ofSeconds(2)));
            assertTrue(open.ok(), open.summary());
            assertTrue(Math.abs(open.achievedRate() - 2_000) < 200, "achieved " + open.achievedRate() + " of 2000 msg/s");
            assertTrue(open.generator().allocatedBytesPerMessage() < 16, open.summary());
        } finally {
            server.close();
            loop.join(5_000);
        }
    }

    @Test
    void aCorruptedByteIsCountedAsAMismatch() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.CORRUPT_BYTE)) {
            LoadResult r = LoadGenerator.run(closed(server.port(), 2, Duration.ofSeconds(1)));
            assertEquals(2, r.errors().mismatches(), r.summary());      // byte 5,000 of each connection's stream
            assertFalse(r.ok());
            assertTrue(r.errors().first().contains("differs"), r.errors().first());
        }
    }

    @Test
    void aServerThatClosesEarlyIsCountedAsShortReads() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.CLOSE_EARLY)) {
            LoadResult r = LoadGenerator.run(closed(server.port(), 3, Duration.ofSeconds(1)));
            assertEquals(3, r.errors().shortReads() + r.errors().unexpectedCloses(), r.summary());
            assertFalse(r.ok());
        }
    }

    /**
     * A one-second stall with one message in flight: the open-loop (corrected) percentiles must show
     * it, since every message planned during the stall waited; the uncorrected ones must not, since
     * they start the clock only when the generator could send.
     */
    @Test
    void aStallShowsInCorrectedButNotUncorrectedOpenLoopLatency() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.STALL_ONCE)) {
            LoadResult r = LoadGenerator.run(open(server.port(), 1, 1_000, Duration.ofSeconds(3)));
            assertTrue(r.ok(), r.summary());
            assertTrue(r.latency().p99() >= 500_000, "corrected p99 should show the 1 s stall: " + r.summary());
            assertTrue(r.latency().max() >= 900_000, r.summary());
            assertTrue(r.uncorrectedLatency().p99() < 200_000, "uncorrected p99 should hide the stall: " + r.summary());
        }
    }

    @Test
    void aOneAtATimeServerStarvesTheOtherConnectionsAndTheRunStillEnds() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.ONE_AT_A_TIME)) {
            LoadResult r = LoadGenerator.run(closed(server.port(), 3, Duration.ofMillis(1500)));
            assertEquals(3, r.connectionsOpened(), r.summary());
            assertEquals(2, r.starvedConnections(), r.summary());
            assertEquals(0, r.errors().total(), r.summary());
            assertTrue(r.messages() > 0, r.summary());
        }
    }
}
