package echolab.bench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.Cli;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadReport;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.ResultsSchema;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Target;
import echolab.bench.results.Trial;
import echolab.bench.results.Trial.SearchPoint.Phase;

/**
 * The search against a server whose capacity is known by construction: it serves one message at a time,
 * each in exactly {@value #SERVICE_MICROS} µs, so it completes at most 1/S = {@value #CAPACITY} messages a
 * second. The open loop's arrivals are evenly spaced (D/D/1): below 1/S no message waits for another and
 * the latency is S; above it the backlog grows by (rate - 1/S) messages each second, so within a 2 s
 * trial 3% over 1/S already queues 120 messages, 60 ms, far past the 20 ms target (which leaves room for
 * this shared machine's stalls below the knee). The knee is therefore 1/S; the search, bisecting to 5%,
 * must find a rate within 5% under it (and a noisy trial may cost it a step or two down): between 0.8
 * and 1.03 of 1/S.
 */
class RateSearchTest {

    static final long SERVICE_MICROS = 500;
    static final double CAPACITY = 1e6 / SERVICE_MICROS;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void findsTheKneeOfAServerWithAKnownServiceTime() throws Exception {
        try (KnownServiceTime server = new KnownServiceTime(SERVICE_MICROS)) {
            Target.Settings settings = new Target.Settings(Percentile.P99, 20_000, 10, 64, 0.05, 0.5, 1.5, CAPACITY * 0.6);
            RateSearch.Result result = new RateSearch(settings, 16).run("known", (rate, round) -> trial(server.port(), settings, rate, round));

            Target.Answer answer = result.answer();
            String trials = result.trials().stream().map(t -> String.format("%s %.0f: %s", t.point().orElseThrow().phase().label(), t.point().orElseThrow().rate(),
                    t.point().orElseThrow().meets() ? "met" : t.point().orElseThrow().why())).toList().toString();
            assertNotNull(answer.rate(), "no rate found: " + answer.why() + "; trials " + trials);
            assertFalse(answer.generatorLimited());
            assertTrue(answer.rate() >= 0.8 * CAPACITY && answer.rate() <= 1.03 * CAPACITY,
                    "found " + answer.rate() + " msg/s for a capacity of " + CAPACITY + "; trials " + trials);
            Trial last = result.trials().get(result.trials().size() - 1);
            assertEquals(Phase.CONFIRM, last.point().orElseThrow().phase(), "the answer is confirmed by a trial of its own");
            assertTrue(last.point().orElseThrow().meets());
            assertTrue(result.trials().stream().anyMatch(t -> !t.point().orElseThrow().meets() && t.point().orElseThrow().rate() > CAPACITY),
                    "a rate above the capacity was tried and missed");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerThatNeverMeetsTheTargetHasNoRateAndSaysWhy() throws Exception {
        try (KnownServiceTime server = new KnownServiceTime(20_000)) {        // 20 ms per message: over the 5 ms target
            Target.Settings settings = new Target.Settings(Percentile.P99, 5_000, 2, 64, 0.05, 0.2, 0.5, 20);
            RateSearch.Result result = new RateSearch(settings, 4).run("slow", (rate, round) -> trial(server.port(), settings, rate, round));
            assertNull(result.answer().rate());
            assertTrue(result.answer().why().startsWith("no rate down to"), result.answer().why());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aShortCapacityRunOverOneServerWritesAValidRun(@TempDir Path out) throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Cli.Outcome run = Cli.run("capacity", "--only", "selector", "--start-rate", "4000", "--max-trials", "2", "--warmup", "200ms",
                "--duration", "500ms", "--no-pin", "--root", root.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        ResultsSchema.assertValid(out.resolve("results.json"));
        BenchRun r = ResultsFile.read(out);
        assertTrue(r.run().complete());
        assertEquals("capacity", r.run().profile());
        Target.Answer answer = ((BenchRun.Capacity) r.kind()).target().of("selector").orElseThrow();
        assertTrue(answer.rate() != null || answer.why() != null, "an answer, or why there is none");
        List<Trial> trials = r.scenarios().get(0).trials();
        assertTrue(trials.size() >= 2 && trials.stream().allMatch(t -> t.point().isPresent() && t.server().equals("selector")), "every trial kept");
        assertEquals(Phase.GROW, trials.get(0).point().orElseThrow().phase());
        assertEquals(4000, trials.get(0).point().orElseThrow().rate());
        assertEquals(Files.readString(out.resolve("summary.md")), SummaryMarkdown.render(r));
        assertTrue(Files.size(out.resolve("capacity-curve.png")) > 0 && Files.size(out.resolve("capacity-curve.svg")) > 0);
    }

    @Test
    void aTargetGivenTwiceOrNotPositiveIsRefused() {
        assertEquals(2, Cli.run("capacity", "--p99", "1ms", "--p999", "2ms").exit());
        assertEquals(2, Cli.run("capacity", "--p99", "0ms").exit());
        assertEquals(2, Cli.run("capacity", "--precision", "90").exit());
    }

    private static Trial trial(int port, Target.Settings s, double rate, int round) throws InterruptedException {
        LoadConfig config = LoadConfig.defaults().withPort(port).withConnections(s.connections()).withSize(s.size()).withRate(rate)
                .withWarmup(Duration.ofMillis((long) (s.warmupSeconds() * 1000)))
                .withDuration(Duration.ofMillis((long) (s.durationSeconds() * 1000)));
        try {
            LoadReport r = LoadGenerator.run(config).report();
            Trial.Status status = r.errors().total() > 0 ? Trial.Status.FAILED : Trial.Status.OK;
            return new Trial("known", round, status, status == Trial.Status.OK ? null : r.errors().first(), r, null, Trial.Histograms.NONE,
                    Trial.Figures.PLAIN);
        } catch (IOException e) {
            return Trial.failed("known", round, e.getMessage());
        }
    }

    /**
     * An echo server with a fixed service time: readers queue each 64-byte message with its arrival time; one
     * worker echoes them in order, each finishing S after the later of its arrival and the previous finish.
     * Finish times are computed, not slept for, so scheduling delays do not add up: the rate is exactly 1/S.
     */
    static final class KnownServiceTime implements AutoCloseable {
        private record Job(Socket socket, byte[] message, long arrived) {
        }

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
        private final long serviceNanos;
        private final Thread worker;
        private final Thread acceptor;

        KnownServiceTime(long serviceMicros) throws IOException {
            this.serviceNanos = TimeUnit.MICROSECONDS.toNanos(serviceMicros);
            this.worker = Thread.ofPlatform().daemon().start(this::serve);
            this.acceptor = Thread.ofPlatform().daemon().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofPlatform().daemon().start(() -> read(s));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void read(Socket s) {
            try (s; InputStream in = s.getInputStream()) {
                byte[] message;
                while ((message = in.readNBytes(64)).length == 64) {
                    queue.add(new Job(s, message, System.nanoTime()));
                }
            } catch (IOException closed) {
                // the client went away
            }
        }

        private void serve() {
            long finished = 0;
            try {
                while (true) {
                    Job job = queue.take();
                    if (job.socket().isClosed()) {
                        continue;                           // its client left (an overloaded trial ended): no work to do
                    }
                    finished = Math.max(job.arrived(), finished) + serviceNanos;
                    long wait;
                    while ((wait = finished - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        synchronized (job.socket()) {
                            job.socket().getOutputStream().write(job.message());
                        }
                    } catch (IOException gone) {
                        // the client closed while its message was queued
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            worker.interrupt();
            acceptor.interrupt();
        }
    }
}
