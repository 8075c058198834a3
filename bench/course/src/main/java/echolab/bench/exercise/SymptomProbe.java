package echolab.bench.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import echolab.bench.harness.ProcReading;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadReport;
import echolab.common.ThreadsPerConnection;
import echolab.contract.TestClient;

/**
 * Measures one {@link Symptom} on a running server process, over loopback, in a few seconds at most:
 * the figures a reader compares between the broken server and the real one, and whether they are what
 * a correct server shows. Every wait is bounded.
 */
final class SymptomProbe {

    private static final int MiB = 1024 * 1024;

    /** One figure: what it is and its value, as text. */
    record Observation(String name, String value) {
    }

    /** What was measured, and whether a correct server would show the same. */
    record Reading(List<Observation> observations, boolean healthy) {
    }

    private SymptomProbe() {
    }

    /** {@code symptom} on {@code server}, whose model serves one connection at a time or not, with {@code threads} per connection. */
    static Reading measure(Symptom symptom, ServerProcess server, boolean oneAtATime, ThreadsPerConnection threads)
            throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        return switch (symptom) {
            case IDLE_CPU -> idleCpu(server, address, oneAtATime);
            case HALF_CLOSE -> halfClose(server, address);
            case BYTES_WRONG -> bytesWrong(server, oneAtATime);
            case SLOW_READER -> slowReader(address);
            case NEVER_READING -> neverReading(server, address);
            case DESCRIPTORS -> descriptors(server, address);
            case SERVED_COUNT -> servedCount(server, address, oneAtATime);
            case THREADS -> threads(server, address, oneAtATime, threads);
            case LARGE_MESSAGES -> largeMessages(server, oneAtATime);
            case SPLIT_TERMINATOR -> splitTerminator(address);
            case MANY_LINES -> manyLines(address);
            case NO_TERMINATOR -> noTerminator(server, address);
            case LINE_LATENCY -> lineLatency(address);
        };
    }

    /**
     * The operating system's threads of the server (/proc/PID/status), before and while it holds 200 answered
     * connections: one per connection is thread-per-conn's model, none the others' (virtual threads are not
     * the kernel's). Healthy when the count follows the server's model.
     */
    private static Reading threads(ServerProcess server, InetSocketAddress address, boolean oneAtATime, ThreadsPerConnection model)
            throws IOException, InterruptedException {
        int held = 200;
        List<TestClient> clients = new ArrayList<>();
        try {
            int before = sample(server).threads();
            for (int i = 0; i < held; i++) {
                TestClient c = TestClient.connect(address);
                clients.add(c);
                byte[] message = {(byte) i};
                if (i == 0 || !oneAtATime) {
                    quietly(() -> c.roundTrip(message));
                }
            }
            int added = sample(server).threads() - before;
            return new Reading(List.of(new Observation("operating-system threads added for " + held + " held connections",
                    String.valueOf(added))), model.platformThreadsFit(added, held));
        } finally {
            closeAll(clients);
        }
    }

    /**
     * The load generator at 64 B and at 16 KiB, a message longer than a blocking server's buffer, which goes
     * back in two writes: where Nagle's algorithm holds the second until the client's delayed ACK, a round trip
     * takes the ACK timer (about 40 ms) instead of about as long as a small one. Healthy when the 16 KiB median
     * is within ten times the 64 B one.
     */
    private static Reading largeMessages(ServerProcess server, boolean oneAtATime) throws IOException, InterruptedException {
        LoadConfig config = LoadConfig.defaults().withPort(server.port()).withConnections(oneAtATime ? 1 : 10)
                .withRampUp(Duration.ofSeconds(2)).withWarmup(Duration.ofMillis(300)).withDuration(Duration.ofMillis(1500));
        LoadReport small = LoadGenerator.run(config.withSize(64)).report();
        LoadReport large = LoadGenerator.run(config.withSize(16 * 1024)).report();
        return new Reading(List.of(
                new Observation("median round trip, 64 B (" + small.connectionsRequested() + " connections)",
                        String.format("%,.0f us, %,.0f msg/s", small.latencyMicros().p50(), small.messagesPerSecond())),
                new Observation("median round trip, 16 KiB", String.format("%,.0f us, %,.0f msg/s",
                        large.latencyMicros().p50(), large.messagesPerSecond())),
                new Observation("16 KiB against 64 B", String.format("%.1fx", large.latencyMicros().p50() / small.latencyMicros().p50()))),
                large.ok() && small.ok() && large.latencyMicros().p50() < 10 * small.latencyMicros().p50());
    }

    private static Reading idleCpu(ServerProcess server, InetSocketAddress address, boolean oneAtATime)
            throws IOException, InterruptedException {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                TestClient c = TestClient.connect(address);
                clients.add(c);
                byte[] message = {(byte) i};
                if (i == 0 || !oneAtATime) {
                    quietly(() -> c.roundTrip(message));
                }
            }
            Thread.sleep(300);
            double share = cpuShare(server, Duration.ofSeconds(2));
            return new Reading(List.of(new Observation("server CPU while ten connections sit idle for 2 s", percent(share) + " of a core")),
                    share < 0.2);
        } finally {
            closeAll(clients);
        }
    }

    private static Reading halfClose(ServerProcess server, InetSocketAddress address) throws IOException, InterruptedException {
        byte[] sent = TestClient.randomBytes(256 * 1024, 862);
        try (Socket s = new Socket()) {
            s.setSoTimeout(3_000);
            s.connect(address, 2_000);
            AtomicLong received = new AtomicLong();
            boolean[] eof = {false};
            boolean[] same = {true};
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = s.getInputStream();
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        int from = (int) received.get();
                        for (int i = 0; i < n && from + i < sent.length; i++) {
                            same[0] &= buffer[i] == sent[from + i];
                        }
                        received.addAndGet(n);
                    }
                    eof[0] = true;
                } catch (IOException e) {
                    // a timeout: no end of stream came
                }
            });
            OutputStream out = s.getOutputStream();
            out.write(sent);
            s.shutdownOutput();
            double share = cpuShare(server, Duration.ofSeconds(2));
            reader.join(4_000);
            return new Reading(List.of(
                    new Observation("bytes echoed after the client sent 256 KiB and half-closed", received.get() + " of " + sent.length
                            + (same[0] ? "" : " (with different bytes)")),
                    new Observation("end of stream reached the client", eof[0] ? "yes" : "no, within 3 s"),
                    new Observation("server CPU in the 2 s after the half-close", percent(share) + " of a core")),
                    received.get() == sent.length && same[0] && eof[0] && share < 0.2);
        }
    }

    /** The load generator's byte check, then streams at once (where connections that share state mix up their bytes). */
    private static Reading bytesWrong(ServerProcess server, boolean oneAtATime) throws IOException, InterruptedException {
        LoadReport r = LoadGenerator.run(LoadConfig.defaults().withPort(server.port()).withConnections(oneAtATime ? 1 : 32)
                .withSize(4096).withRampUp(Duration.ofSeconds(2)).withWarmup(Duration.ofMillis(200))
                .withDuration(Duration.ofSeconds(2))).report();
        LoadReport.Errors e = r.errors();
        int streams = oneAtATime ? 1 : 16;
        int[] streamed = streams(new InetSocketAddress("127.0.0.1", server.port()), streams, MiB);
        return new Reading(List.of(
                new Observation("messages echoed (4 KiB, " + r.connectionsRequested() + " connections, 2 s)", String.format("%,d", r.messages())),
                new Observation("messages that came back different", String.format("%,d", e.mismatches())),
                new Observation("short reads, closes and resets", String.format("%,d, %,d, %,d", e.shortReads(), e.unexpectedCloses(), e.resets())),
                new Observation("connections never answered", String.format("%,d of %,d", r.starvedConnections(), r.connectionsOpened())),
                new Observation("streams of 1 MiB at once, echoed whole and unmixed", streamed[0] + " of " + streams),
                new Observation("first error", e.first() == null ? "none" : e.first())),
                e.total() == 0 && r.starvedConnections() == 0 && r.messages() > 0 && streamed[0] == streams);
    }

    /**
     * {@code n} clients each write {@code bytes} distinct bytes and, after a moment (so that the server's
     * writes fill the socket and wait), read their echo, all at once; {streams echoed intact}.
     */
    private static int[] streams(InetSocketAddress address, int n, int bytes) throws InterruptedException {
        int[] intact = {0};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = TestClient.randomBytes(bytes, 7_000 + i);
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (TestClient c = TestClient.connect(address)) {
                    c.socket.setSoTimeout(5_000);
                    c.writeAsync(data);
                    Thread.sleep(300);
                    if (Arrays.equals(c.readExactly(data.length), data)) {
                        synchronized (intact) {
                            intact[0]++;
                        }
                    }
                } catch (IOException e) {
                    // not echoed whole: not counted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(15_000);
        }
        return intact;
    }

    private static Reading slowReader(InetSocketAddress address) throws IOException, InterruptedException {
        byte[] sent = TestClient.randomBytes(16 * MiB, 3);
        try (TestClient client = TestClient.connect(address, 64 * 1024)) {
            client.socket.setSoTimeout(3_000);
            client.writeAsync(sent);
            Thread.sleep(1_000);
            byte[] got = new byte[sent.length];
            byte[] buffer = new byte[16 * 1024];
            int done = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            try {
                int n;
                while (done < sent.length && System.nanoTime() < deadline && (n = client.read(buffer)) > 0) {
                    System.arraycopy(buffer, 0, got, done, Math.min(n, sent.length - done));
                    done += n;
                    Thread.sleep(1);                              // slowly: the echo lags behind what was sent
                }
            } catch (SocketTimeoutException e) {
                // nothing more came for 3 s
            }
            done = Math.min(done, sent.length);
            int mismatch = Arrays.mismatch(Arrays.copyOf(got, done), Arrays.copyOf(sent, done));
            return new Reading(List.of(
                    new Observation("bytes echoed to a client that starts reading after 1 s", String.format("%,d of %,d", done, sent.length)),
                    new Observation("first byte that differs", mismatch < 0 ? "none" : String.format("at %,d", mismatch))),
                    done == sent.length && mismatch < 0);
        }
    }

    private static Reading neverReading(ServerProcess server, InetSocketAddress address) throws IOException, InterruptedException {
        ProcReading before = server.sampleNow();
        AtomicLong accepted = new AtomicLong();
        long peakRss = before == null ? 0 : before.rssKiB();
        try (TestClient hog = TestClient.connect(address, 64 * 1024)) {
            Thread writer = hog.writeWithoutReading(TestClient.randomBytes(64 * 1024, 1), 256L * MiB, accepted);
            long last = -1;
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 1_000_000_000L) {
                Thread.sleep(100);
                ProcReading s = server.sampleNow();
                peakRss = s == null ? peakRss : Math.max(peakRss, s.rssKiB());
                if (accepted.get() != last) {
                    last = accepted.get();
                    quietSince = System.nanoTime();
                }
            }
            hog.reset();
            writer.join(2_000);
        }
        long growth = before == null ? 0 : peakRss - before.rssKiB();
        return new Reading(List.of(
                new Observation("what the server took from a client that writes and never reads", String.format("%,d MiB", accepted.get() / MiB)),
                new Observation("server RSS growth meanwhile", String.format("%,d MiB", growth / 1024))),
                accepted.get() < 64L * MiB && growth < 64 * 1024);
    }

    private static Reading descriptors(ServerProcess server, InetSocketAddress address) throws IOException, InterruptedException {
        int before = openFiles(server);
        byte[] chunk = TestClient.randomBytes(64 * 1024, 50);
        for (int i = 0; i < 100; i++) {
            TestClient client = TestClient.connect(address);
            client.writeAsync(chunk);
            quietly(() -> client.readExactly(1024));
            client.reset();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int after = openFiles(server);
        while (after > before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = openFiles(server);
        }
        return new Reading(List.of(new Observation("server's open descriptors before, and after 100 connections reset mid-echo",
                before + " → " + after)), after - before < 5);
    }

    private static Reading servedCount(ServerProcess server, InetSocketAddress address, boolean oneAtATime)
            throws IOException, InterruptedException {
        int n = oneAtATime ? 1 : 5;
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                TestClient c = TestClient.connect(address);
                clients.add(c);
                byte[] message = {(byte) i};
                quietly(() -> c.roundTrip(message));
            }
            // Whether the stop closes connected clients is not asked here: the process exits after its stop,
            // and the kernel closes every socket of a process that exits. The contract suite asks it in-process.
            ServerProcess.Stopped stopped = server.stop();
            long served = stopped.summary() == null ? -1 : stopped.summary().served();
            return new Reading(List.of(
                    new Observation("connections served, by the stop summary, with " + n + " connected and answered",
                            served < 0 ? "no summary (" + stopped.problem() + ")" : String.valueOf(served))), served == n);
        } finally {
            closeAll(clients);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private interface Action {
        void run() throws IOException;
    }

    /**
     * Ten lines ending in {@code \r\n} (the server started with that terminator), each written in two pieces split
     * inside its terminator, 20 ms apart so that they arrive in two reads, each then awaited for up to half a second.
     * Healthy when every line comes back.
     */
    private static Reading splitTerminator(InetSocketAddress address) throws IOException, InterruptedException {
        int lines = 10;
        int answered = 0;
        long[] nanos = new long[lines];
        try (TestClient c = TestClient.connect(address)) {
            c.socket.setSoTimeout(500);
            for (int i = 0; i < lines; i++) {
                byte[] line = String.format("line %d\r\n", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                c.write(Arrays.copyOf(line, line.length - 1));
                Thread.sleep(20);                              // the client's pace: the \n goes in a segment of its own
                c.write(new byte[] {'\n'});
                try {
                    if (Arrays.equals(line, c.readExactly(line.length))) {
                        answered++;
                    }
                } catch (SocketTimeoutException e) {
                    // not answered within the half second: counted as such
                }
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return new Reading(List.of(
                new Observation("lines answered, each sent as 'line N\\r' then '\\n'", String.format("%d of %d", answered, lines)),
                new Observation("median time to an answer (or to giving up, 500 ms)", String.format("%,.0f ms", nanos[lines / 2] / 1e6))),
                answered == lines);
    }

    /** A hundred lines in one write, then up to a second for their answers. Healthy when all hundred come back. */
    private static Reading manyLines(InetSocketAddress address) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append("message ").append(i).append('\n');
        }
        byte[] sent = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int lines = 0;
        long back = 0;
        try (TestClient c = TestClient.connect(address)) {
            c.write(sent);
            c.socket.setSoTimeout(1_000);
            byte[] buffer = new byte[sent.length];
            try {
                int n;
                while (back < sent.length && (n = c.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        lines += buffer[i] == '\n' ? 1 : 0;
                    }
                    back += n;
                }
            } catch (SocketTimeoutException e) {
                // what had come back in a second is the figure
            }
        }
        return new Reading(List.of(new Observation("lines answered within a second, of 100 sent in one write",
                String.format("%d (%,d of %,d bytes)", lines, back, sent.length))), lines == 100);
    }

    /**
     * 32 MiB with no {@code \n}, written while what comes back is read, then up to two seconds for the rest; the
     * server's RSS meanwhile. Healthy when all of it came back (a bound at a time) and the RSS grew by less than 16 MiB.
     */
    private static Reading noTerminator(ServerProcess server, InetSocketAddress address) throws IOException, InterruptedException {
        ProcReading before = sample(server);
        long peakRss = before.rssKiB();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        long total = 32L * MiB;
        AtomicLong back = new AtomicLong();
        try (TestClient c = TestClient.connect(address)) {
            c.socket.setSoTimeout(2_000);
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] in = new byte[64 * 1024];
                try {
                    int n;
                    while (back.get() < total && (n = c.read(in)) > 0) {
                        back.addAndGet(n);
                    }
                } catch (IOException e) {
                    // nothing more within two seconds: what came back is the figure
                }
            });
            for (long sent = 0; sent < total; sent += chunk.length) {
                c.write(chunk);
                if (sent % (4 * MiB) == 0) {
                    ProcReading s = server.sampleNow();
                    peakRss = s == null ? peakRss : Math.max(peakRss, s.rssKiB());
                }
            }
            reader.join(5_000);
            ProcReading s = server.sampleNow();
            peakRss = s == null ? peakRss : Math.max(peakRss, s.rssKiB());
        }
        long growth = peakRss - before.rssKiB();
        return new Reading(List.of(
                new Observation("bytes back from 32 MiB with no terminator", String.format("%,d MiB", back.get() / MiB)),
                new Observation("server RSS growth meanwhile", String.format("%,d MiB", growth / 1024))),
                back.get() == total && growth < 16 * 1024);
    }

    /** The median round trip of a 64 B line and of a line of its terminator alone, 20 of each, alternating. Healthy within 10x. */
    private static Reading lineLatency(InetSocketAddress address) throws IOException {
        byte[] line = new byte[64];
        Arrays.fill(line, (byte) 'x');
        line[63] = '\n';
        byte[] alone = {'\n'};
        long[] lineNanos = new long[20];
        long[] aloneNanos = new long[20];
        try (TestClient c = TestClient.connect(address)) {
            c.socket.setSoTimeout(2_000);
            for (int i = -3; i < lineNanos.length; i++) {      // three to warm
                long start = System.nanoTime();
                c.roundTrip(line);
                long mid = System.nanoTime();
                c.roundTrip(alone);
                if (i >= 0) {
                    lineNanos[i] = mid - start;
                    aloneNanos[i] = System.nanoTime() - mid;
                }
            }
        }
        Arrays.sort(lineNanos);
        Arrays.sort(aloneNanos);
        double a = lineNanos[10] / 1e3;
        double b = aloneNanos[10] / 1e3;
        return new Reading(List.of(
                new Observation("median round trip, a 64 B line", String.format("%,.0f us", a)),
                new Observation("median round trip, its terminator alone", String.format("%,.0f us", b)),
                new Observation("the line against its terminator", String.format("%.1fx", a / b))),
                a < 10 * b);
    }

    /** Runs an exchange with a server that may be broken: its failure is part of what is measured, not an error. */
    private static void quietly(Action a) {
        try {
            a.run();
        } catch (IOException e) {
            // the broken server did not answer: the figures show it
        }
    }

    private static double cpuShare(ServerProcess server, Duration over) throws InterruptedException, IOException {
        ProcReading a = server.sampleNow();
        Thread.sleep(over.toMillis());
        ProcReading b = server.sampleNow();
        if (a == null || b == null) {
            throw new IOException(server.name() + " exited while it was measured" + server.lastWords());
        }
        return (b.cpuTicks() - a.cpuTicks()) / 100.0 / ((b.nanos() - a.nanos()) / 1e9);
    }

    private static int openFiles(ServerProcess server) throws IOException {
        return sample(server).openFiles();
    }

    private static ProcReading sample(ServerProcess server) throws IOException {
        ProcReading s = server.sampleNow();
        if (s == null) {
            throw new IOException(server.name() + " exited while it was measured" + server.lastWords());
        }
        return s;
    }

    private static String percent(double share) {
        return String.format("%.0f%%", 100 * share);
    }

    private static void closeAll(List<TestClient> clients) {
        for (TestClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a client of a broken server: nothing to report
            }
        }
    }
}
