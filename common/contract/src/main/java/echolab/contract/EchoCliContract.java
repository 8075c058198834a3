package echolab.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command-line contract, run against a server's packaged jar ({@code target/<module>.jar}) in its
 * own JVM: the {@code listening on} line, SIGTERM, the summary, and the user errors.
 * Run by Failsafe after {@code package}; a module runs it with a subclass that names the module.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class EchoCliContract {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final long MiB = 1024 * 1024;

    /** The Maven module, which is also the jar's name. */
    protected abstract String module();

    /** False for a server that handles one connection at a time (sync-echo). */
    protected boolean servesConcurrently() {
        return true;
    }

    @Test
    void servesOnAFreePortAndStopsPromptlyOnSigtermWithAClientConnected() throws Exception {
        Process server = start("--port", "0");
        try {
            int port = awaitListening(server);
            try (TestClient client = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertArrayEquals("smoke".getBytes(UTF_8), client.roundTrip("smoke".getBytes(UTF_8)));
                server.toHandle().destroy();                        // SIGTERM; keeps our end of the pipes open
                assertTrue(server.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            }
            String stderr = new String(server.getErrorStream().readAllBytes(), UTF_8);
            assertTrue(stderr.contains(module() + ": stopped; 1 connection served, 5 bytes echoed"),
                    "no summary on stderr: " + stderr);
            assertNoStackTrace(stderr);
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * Out of process, where the figure is the server's own: RSS while a client writes and never reads.
     * Without backpressure the server would buffer the client's 256 MiB.
     */
    @Test
    void residentMemoryStaysBoundedWhileAClientNeverReads() throws Exception {
        Process server = start("--port", "0");
        try {
            int port = awaitListening(server);
            try (TestClient warm = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                warm.roundTrip(TestClient.randomBytes(1 << 20, 5));
            }
            long rssBefore = rssKiB(server.pid());
            AtomicLong accepted = new AtomicLong();
            try (TestClient hog = TestClient.connect(new InetSocketAddress("127.0.0.1", port), 64 * 1024)) {
                Thread writer = Thread.ofPlatform().daemon().start(() -> {
                    byte[] chunk = TestClient.randomBytes(64 * 1024, 2);
                    try {
                        while (accepted.get() < 256 * MiB) {
                            hog.write(chunk);
                            accepted.addAndGet(chunk.length);
                        }
                    } catch (IOException expected) {
                        // closed by the test while blocked
                    }
                });
                Thread.sleep(3_000);
                long rssDuring = rssKiB(server.pid());
                System.out.printf("%s: RSS %d KiB before, %d KiB while a client wrote %d MiB and never read%n",
                        module(), rssBefore, rssDuring, accepted.get() / MiB);
                assertTrue(accepted.get() < 128 * MiB, "server took " + accepted.get() / MiB + " MiB from a non-reader");
                assertTrue(rssDuring - rssBefore < 96 * 1024, "RSS grew by " + (rssDuring - rssBefore) + " KiB");
                hog.reset();
                writer.join(5_000);
            }
        } finally {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        Result result = run("--help");
        assertEquals(0, result.exitCode);
        assertTrue(result.stdout.contains("Usage: " + module()), result.stdout);
        assertTrue(result.stdout.contains("--port"), result.stdout);
    }

    @Test
    void unknownFlagIsAUsageError() throws Exception {
        Result result = run("--frobnicate");
        assertEquals(2, result.exitCode, result.stderr);
        assertTrue(result.stderr.contains("Unknown option: '--frobnicate'"), result.stderr);
        assertTrue(result.stderr.contains("Usage:"), result.stderr);
        assertNoStackTrace(result.stderr);
    }

    @Test
    void portThatIsNotANumberOrOutOfRangeIsAUsageError() throws Exception {
        for (String port : List.of("seven", "65536", "-1")) {
            Result result = run("--port", port);
            assertEquals(2, result.exitCode, port + ": " + result.stderr);
            assertTrue(result.stderr.contains("--port"), result.stderr);
            assertNoStackTrace(result.stderr);
        }
    }

    @Test
    void portInUseIsOneLineNamingThePortAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            Result result = run("--port", port);
            assertEquals(1, result.exitCode, result.stderr);
            assertEquals(1, result.stderr.strip().lines().count(), result.stderr);
            assertTrue(result.stderr.contains(port) && result.stderr.contains("in use"), result.stderr);
            assertEquals("", result.stdout);
        }
    }

    @Test
    void listensOnIpv6LoopbackAndPrintsTheAddressCompressed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        Process server = start("--host", "::1", "--port", "0");
        try {
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8)).readLine();
            Matcher m = Pattern.compile("listening on \\[::1]:(\\d+)").matcher(String.valueOf(line));
            assertTrue(m.matches(), "first line was: " + line);
            try (TestClient client = TestClient.connect(new InetSocketAddress("::1", Integer.parseInt(m.group(1))))) {
                assertArrayEquals("six".getBytes(UTF_8), client.roundTrip("six".getBytes(UTF_8)));
            }
        } finally {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Out of file descriptors: under a real limit (prlimit), a flood of clients makes accept fail with
     * EMFILE for as long as it lasts. A connection established before the flood keeps its latency (its
     * median round trip during the flood, as a ratio to the one before, measured in this run), the log
     * says it once a second with a count, the server does not spin, and it accepts again once
     * descriptors are free.
     */
    @Test
    void outOfFileDescriptorsTheServerPausesAcceptingLogsOnceASecondAndRecovers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(servesConcurrently(),
                "serves one connection at a time: it holds one client descriptor and never runs out");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "no prlimit");
        int limit = 128;
        Process server = startWith(List.of("prlimit", "--nofile=" + limit + ":" + limit, "--"), List.of(), "--port", "0");
        List<TestClient> flood = new ArrayList<>();
        try {
            int port = awaitListening(server);
            List<String> stderr = collectStderr(server);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (TestClient established = TestClient.connect(address)) {
                long before = medianRoundTripNanos(established, 300);
                for (int i = 0; i < limit + 50; i++) {
                    flood.add(TestClient.connect(address));       // the kernel completes them; the server cannot accept them all
                }
                awaitLine(stderr, l -> l.contains("accept failed"), 20);
                assertTrue(stderr.stream().anyMatch(l -> l.contains("accept failed: Too many open files")),
                        "accept never failed under a limit of " + limit + " descriptors: " + stderr);
                long cpuBefore = cpuTicks(server.pid());
                int linesBefore = stderr.size();
                long windowStart = System.nanoTime();
                long during = medianRoundTripNanos(established, 300);
                Thread.sleep(Math.max(0, 3_000 - (System.nanoTime() - windowStart) / 1_000_000));
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                double cpuSeconds = (cpuTicks(server.pid()) - cpuBefore) / 100.0;
                List<String> window = List.copyOf(stderr.subList(linesBefore, stderr.size()));
                System.out.printf("%s out of descriptors: median round trip %d us before, %d us during the flood; "
                                + "%d log lines in %.1f s; %.2f CPU-s%n", module(), before / 1000, during / 1000,
                        window.size(), seconds, cpuSeconds);
                assertTrue(during < 20 * before, "an established connection slowed from " + before / 1000 + " us to "
                        + during / 1000 + " us per round trip while accept was failing");
                assertTrue(window.size() <= seconds + 2, window.size() + " log lines in " + seconds + " s: " + window);
                assertTrue(window.stream().anyMatch(l -> l.matches(".*accept failed: Too many open files \\(\\d+ more in the last second\\)")),
                        "no line with a count: " + window);
                assertTrue(cpuSeconds < 0.5 * seconds, "the server spun: " + cpuSeconds + " CPU-s in " + seconds + " s");
            }
            for (TestClient c : flood) {
                c.close();
            }
            flood.clear();
            assertServedWithin(address, new byte[] {7, 0, 0, 7}, 30, "the server did not accept again once descriptors were free");
            assertNoStackTrace(String.join("\n", stderr));
        } finally {
            for (TestClient c : flood) {
                c.close();
            }
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The server's stderr lines as they come, read on a thread of their own. */
    protected static List<String> collectStderr(Process server) {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(), UTF_8))) {
                err.lines().forEach(lines::add);
            } catch (IOException ignored) {
                // the server is gone
            }
        });
        return lines;
    }

    /** Waits up to {@code seconds} for a line of {@code lines} that {@code matches}; true when one came. */
    protected static boolean awaitLine(List<String> lines, java.util.function.Predicate<String> matches, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!List.copyOf(lines).stream().anyMatch(matches)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * The server comes back: a new client gets {@code message} echoed within {@code seconds}. A client the
     * server closes unanswered (it is still short of threads or descriptors) is retried with a new one, so
     * the test waits for the condition, not for a guess at how long the server needs to recover.
     */
    protected static void assertServedWithin(InetSocketAddress address, byte[] message, int seconds, String failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> attempts = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try (TestClient client = TestClient.connect(address)) {
                assertArrayEquals(message, client.roundTrip(message), failure + ": the echo differs");
                return;
            } catch (IOException e) {
                attempts.add(e.toString());
                Thread.sleep(100);
            }
        }
        throw new AssertionError(failure + " within " + seconds + " s; " + attempts.size() + " attempts, the last: "
                + (attempts.isEmpty() ? "none" : attempts.get(attempts.size() - 1)));
    }

    protected static long medianRoundTripNanos(TestClient client, int count) throws IOException {
        long[] times = new long[count];
        byte[] message = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            client.roundTrip(message);
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[count / 2];
    }

    protected static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private Process start(String... args) throws IOException {
        return startWith(List.of(), List.of(), args);
    }

    /** Starts the jar after {@code prefix} (e.g. prlimit), with {@code jvmFlags}. */
    protected Process startWith(List<String> prefix, List<String> jvmFlags, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private Path jar() {
        Path jar = Path.of("target", module() + ".jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath() + ": run 'mvn package' first");
        return jar;
    }

    protected static int awaitListening(Process server) throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8));
        String line = stdout.readLine();
        if (line == null) {
            throw new AssertionError("server exited before listening: "
                    + new String(server.getErrorStream().readAllBytes(), UTF_8));
        }
        Matcher matcher = LISTENING.matcher(line);
        assertTrue(matcher.matches(), "first line was: " + line);
        int port = Integer.parseInt(matcher.group(1));
        assertTrue(port > 0, "listening on port 0");
        return port;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result run(String... args) throws Exception {
        Process process = start(args);
        process.getOutputStream().close();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not exit");
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), UTF_8),
                new String(process.getErrorStream().readAllBytes(), UTF_8));
    }

    protected static void assertNoStackTrace(String output) {
        assertFalse(output.contains("\tat ") || output.contains("Exception"), "stack trace in: " + output);
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
