package echolab.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import echolab.bench.load.MisbehavingEchoServer.Fault;
import echolab.common.Connections;
import echolab.selector.SelectorEchoServer;

/** The generator's accounting, checked against servers whose behaviour is known. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    /** A server serving on a thread of its own until closed, its loop then awaited. */
    private record Serving(echolab.common.EchoServer server, Thread loop) implements AutoCloseable {
        static Serving of(echolab.common.EchoServer server) {
            return new Serving(server, Thread.ofPlatform().start(() -> {
                try {
                    server.serve();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }

        @Override
        public void close() throws Exception {
            server.close();
            loop.join(5_000);
        }
    }

    private static LoadConfig closed(int port, int connections, Duration duration) {
        return LoadConfig.defaults().withPort(port).withConnections(connections).withSize(64)
                .withWarmup(Duration.ofMillis(200)).withDuration(duration).withConnectTimeout(Duration.ofSeconds(2));
    }

    private static LoadConfig open(int port, int connections, double rate, Duration duration) {
        return closed(port, connections, duration).withRate(rate);
    }

    /**
     * HdrHistogram's own HistogramLogProcessor reads an interval log of the generator as it is: the corrected
     * latency without -tag (the log's untagged primary), the uncorrected with -tag uncorrected, each every message.
     */
    @Test
    void hdrHistogramsLogProcessorReadsTheLogWithAndWithoutTag(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SelectorEchoServer server = new SelectorEchoServer(new InetSocketAddress("127.0.0.1", 0), new Connections("test"));
        try (Serving serving = Serving.of(server)) {
            IntervalLog log = new IntervalLog(null, true);
            LoadReport report = LoadGenerator.run(open(server.address().getPort(), 4, 2_000, Duration.ofMillis(2500)),
                    new LoadGenerator.Options(log, null)).report();
            assertTrue(report.ok() && report.messages() > 1000, report.text());
            java.nio.file.Path hlog = dir.resolve("run.hlog");
            java.nio.file.Files.writeString(hlog, log.text());
            assertEquals(report.latencyMicros().count(), processedCount(hlog, dir.resolve("corrected"), null), "without -tag: the corrected latency");
            assertEquals(report.uncorrectedLatencyMicros().count(), processedCount(hlog, dir.resolve("uncorrected"), "uncorrected"),
                    "with -tag uncorrected");
        }
    }

    /** Runs HistogramLogProcessor on {@code hlog} (with {@code -tag} when given) and reads the total count of what it printed. */
    private static long processedCount(java.nio.file.Path hlog, java.nio.file.Path out, String tag) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("-i", hlog.toString(), "-o", out.toString()));
        if (tag != null) {
            args.addAll(java.util.List.of("-tag", tag));
        }
        org.HdrHistogram.HistogramLogProcessor processor = new org.HdrHistogram.HistogramLogProcessor(args.toArray(String[]::new));
        processor.start();
        processor.join(30_000);
        assertFalse(processor.isAlive(), "the processor ended");
        String hgrm = java.nio.file.Files.readString(java.nio.file.Path.of(out + ".hgrm"));
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("Total count\\s*=\\s*(\\d+)").matcher(hgrm);
        assertTrue(total.find(), "the processor's percentiles: " + hgrm);
        return Long.parseLong(total.group(1));
    }

    /**
     * Line mode: every message of every connection's stream ends with the terminator and holds none of its bytes
     * before it, whatever the connection's offset; a line server echoes them all, ten to a write, without an error.
     */
    @Test
    void inLineModeEachMessageEndsWithTheTerminatorAndALineServerEchoesThemAll() throws Exception {
        echolab.common.Framing.Terminator crlf = echolab.common.Framing.Terminator.parse("\\r\\n");
        StreamVerifier stream = new StreamVerifier(StreamVerifier.Pattern.of(50, java.util.Optional.of(crlf)));
        java.nio.ByteBuffer bytes = StreamVerifier.Pattern.of(50, java.util.Optional.of(crlf)).bytes();
        for (int id = 0; id < 300; id++) {
            int start = stream.streamStart(id);
            for (int m = 0; m < 3_000; m++) {                       // past the pattern's period, so its wrap is checked too
                int at = (int) ((start + 50L * m) % (bytes.capacity() - StreamVerifier.CHUNK));
                assertEquals('\r', bytes.get(at + 48), "connection " + id + ", message " + m);
                assertEquals('\n', bytes.get(at + 49), "connection " + id + ", message " + m);
                for (int i = 0; i < 48; i++) {
                    assertTrue(!crlf.contains(bytes.get(at + i)), "connection " + id + ", message " + m + ", byte " + i);
                }
            }
        }
        echolab.selector.SelectorLinesServer server = new echolab.selector.SelectorLinesServer(new InetSocketAddress("127.0.0.1", 0),
                new Connections("test"), crlf);
        try (Serving serving = Serving.of(server)) {
            LoadReport report = LoadGenerator.run(closed(server.address().getPort(), 8, Duration.ofMillis(800)).withSize(50)
                    .withPipeline(10).withTerminator(java.util.Optional.of(crlf))).report();
            assertTrue(report.ok() && report.messages() > 1000 && report.starvedConnections() == 0, report.text());
            assertEquals("\\r\\n", report.terminator());
            LoadReport unframed = LoadGenerator.run(closed(server.address().getPort(), 2, Duration.ofMillis(300)).withSize(50)
                    .withRampUp(Duration.ofMillis(300))).report();
            assertEquals(0, unframed.messages(), "a message without its terminator is held by a line server: " + unframed.text());
        }
    }

    @Test
    void aMessageMustHoldItsTerminatorAndAByteBeforeIt() {
        java.util.Optional<echolab.common.Framing.Terminator> crlf = java.util.Optional.of(echolab.common.Framing.Terminator.parse("\\r\\n"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LoadConfig.defaults().withSize(2).withTerminator(crlf));
        assertTrue(e.getMessage().contains("--size"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LoadConfig.defaults().withSize(echolab.common.Framing.MAX_MESSAGE + 1).withTerminator(crlf));
    }

    @Test
    void aCorrectServerGivesNoErrorsAndCountsEveryMessage() throws Exception {
        SelectorEchoServer server = new SelectorEchoServer(new InetSocketAddress("127.0.0.1", 0), new Connections("test"));
        try (Serving serving = Serving.of(server)) {
            LoadReport closed = LoadGenerator.run(closed(server.address().getPort(), 10, Duration.ofSeconds(1))).report();
            assertTrue(closed.ok(), closed.text());
            assertEquals(10, closed.connectionsOpened());
            assertTrue(closed.messages() > 100, closed.text());
            assertEquals(closed.messages(), closed.latencyMicros().count(), "one latency per message");
            // No allocation per message in the hot path (a few bytes per message of background noise at most).
            assertTrue(closed.generator().allocatedBytesPerMessage() < 16, closed.text());
            assertTrue(closed.latencyMicros().p50() <= closed.latencyMicros().p99() && closed.latencyMicros().p99() <= closed.latencyMicros().max());

            LoadReport open = LoadGenerator.run(open(server.address().getPort(), 10, 2_000, Duration.ofSeconds(2))).report();
            assertTrue(open.ok(), open.text());
            assertTrue(Math.abs(open.achievedRate() - 2_000) < 200, "achieved " + open.achievedRate() + " of 2000 msg/s");
            assertTrue(open.generator().allocatedBytesPerMessage() < 16, open.text());
        }
    }

    /** The server is read just before the window opens and once it has closed, never inside it. */
    @Test
    void theEdgesAreToldBeforeTheWindowOpensAndAfterItCloses() throws Exception {
        SelectorEchoServer server = new SelectorEchoServer(new InetSocketAddress("127.0.0.1", 0), new Connections("test"));
        try (Serving serving = Serving.of(server)) {
            long[] told = new long[2];
            LoadGenerator.Edges edges = new LoadGenerator.Edges() {
                @Override
                public void opens() {
                    told[0] = System.nanoTime();
                }

                @Override
                public void closes() {
                    told[1] = System.nanoTime();
                }
            };
            LoadResult r = LoadGenerator.run(closed(server.address().getPort(), 4, Duration.ofMillis(500)),
                    new LoadGenerator.Options(null, null, edges));
            assertTrue(r.ok(), r.report().text());
            assertTrue(told[0] > 0 && told[0] < r.measureFromNanos(), "opens before the window");
            assertTrue(r.measureFromNanos() - told[0] < LoadGenerator.EDGE_LEAD.toNanos() + 50_000_000L, "and not long before");
            assertTrue(told[1] >= r.measureToNanos(), "closes after it");
        }
    }

    /** An open loop that could not keep its schedule is generator-bound whatever its thread's load reads. */
    @Test
    void anOpenLoopSendingLateIsGeneratorBound() {
        Accounting punctual = new Accounting();
        Accounting late = new Accounting();
        for (int i = 0; i < 1000; i++) {
            Accounting.record(punctual.corrected, 100_000);
            Accounting.record(punctual.sendLag, 2_000);
            Accounting.record(late.corrected, 100_000);
            Accounting.record(late.sendLag, i < 980 ? 2_000 : 60_000);    // p99 60 us late, of a 100 us p99
        }
        assertFalse(LoadResult.generatorBound(true, 0.0, punctual));
        assertTrue(LoadResult.generatorBound(true, 0.0, late));
        assertFalse(LoadResult.generatorBound(false, 0.5, late), "a closed loop has no schedule: its thread's load says");
        assertTrue(LoadResult.generatorBound(false, 0.95, punctual));
    }

    @Test
    void aCorruptedByteIsCountedAsAMismatch() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.CORRUPT_BYTE)) {
            LoadReport r = LoadGenerator.run(closed(server.port(), 2, Duration.ofSeconds(1))).report();
            assertEquals(2, r.errors().mismatches(), r.text());      // byte 5,000 of each connection's stream
            assertFalse(r.ok());
            assertTrue(r.errors().first().contains("differs"), r.errors().first());
        }
    }

    /**
     * A server that writes a 16 KiB reply in two pieces with Nagle's algorithm on: each round trip waits for
     * the client's delayed ACK, and the report says so; 64 B messages, one piece each, do not wait.
     */
    @Test
    void aLatencyAtTheDelayedAckTimerIsNamed() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.NAGLE)) {
            LoadReport large = LoadGenerator.run(closed(server.port(), 2, Duration.ofSeconds(1)).withSize(16 * 1024)).report();
            assertTrue(large.ok(), large.text());
            assertTrue(large.atDelayedAckTimer(), large.text());
            assertTrue(large.text().contains("the delayed-ACK timer: most likely the server writes a reply"), large.text());
            LoadReport small = LoadGenerator.run(closed(server.port(), 2, Duration.ofSeconds(1))).report();
            assertFalse(small.atDelayedAckTimer(), small.text());
            assertFalse(small.text().contains("delayed-ACK"), small.text());
        }
    }

    @Test
    void aServerThatClosesEarlyIsCountedAsShortReads() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.CLOSE_EARLY)) {
            LoadReport r = LoadGenerator.run(closed(server.port(), 3, Duration.ofSeconds(1))).report();
            assertEquals(3, r.errors().shortReads() + r.errors().unexpectedCloses(), r.text());
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
            LoadReport r = LoadGenerator.run(open(server.port(), 1, 1_000, Duration.ofSeconds(3))).report();
            assertTrue(r.ok(), r.text());
            assertTrue(r.latencyMicros().p99() >= 500_000, "corrected p99 should show the 1 s stall: " + r.text());
            assertTrue(r.latencyMicros().max() >= 900_000, r.text());
            assertTrue(r.uncorrectedLatencyMicros().p99() < 200_000, "uncorrected p99 should hide the stall: " + r.text());
        }
    }

    @Test
    void aOneAtATimeServerStarvesTheOtherConnectionsAndTheRunStillEnds() throws Exception {
        try (MisbehavingEchoServer server = new MisbehavingEchoServer(Fault.ONE_AT_A_TIME)) {
            LoadReport r = LoadGenerator.run(closed(server.port(), 3, Duration.ofMillis(1500))).report();
            assertEquals(3, r.connectionsOpened(), r.text());
            assertEquals(2, r.starvedConnections(), r.text());
            assertEquals(0, r.errors().total(), r.text());
            assertTrue(r.messages() > 0, r.text());
        }
    }
}
