package echolab.common;

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

    // ---- helpers ------------------------------------------------------------------------------

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
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

    private static int awaitListening(Process server) throws IOException {
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

    private static void assertNoStackTrace(String output) {
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
