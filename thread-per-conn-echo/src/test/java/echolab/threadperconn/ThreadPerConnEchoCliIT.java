package echolab.threadperconn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import echolab.contract.EchoCliContract;
import echolab.contract.TestClient;

/** The command-line contract, run against target/thread-per-conn-echo.jar in its own JVM; and running out of threads. */
class ThreadPerConnEchoCliIT extends EchoCliContract {
    @Override
    protected String module() {
        return "thread-per-conn-echo";
    }

    /**
     * Out of threads: under a cap on address space (prlimit --as, which binds root too, unlike a
     * process limit), each thread's 1 MiB stack is reserved until no more fit, and Thread.start throws
     * OutOfMemoryError. The connection that could not get a thread is closed and reported, and the
     * server goes on accepting: once threads end, a new client is served.
     */
    @Test
    void outOfThreadsTheConnectionIsRefusedAndTheServerGoesOnAccepting() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "no prlimit");
        Process server = startWith(List.of("prlimit", "--as=" + 1600L * 1024 * 1024, "--"),
                List.of("-Xmx64m", "-Xss1m", "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m", "-XX:+UseSerialGC",
                        "-XX:ErrorFile=target/hs_err_pid%p.log"),   // if the JVM itself runs out, its report stays in target/
                "--port", "0");
        List<TestClient> clients = new ArrayList<>();
        try {
            int port = awaitListening(server);
            List<String> stderr = collectStderr(server);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stderr.stream().noneMatch(l -> l.contains("connection refused")) && clients.size() < 3_000
                    && System.nanoTime() < deadline) {
                clients.add(TestClient.connect(address));
                if (clients.size() % 100 == 0) {
                    Thread.sleep(100);
                }
            }
            assertTrue(awaitLine(stderr, l -> l.contains("connection refused") && l.contains("unable to create native thread"), 10),
                    "no thread ever failed to start after " + clients.size() + " clients: " + stderr);
            for (TestClient c : clients) {
                c.close();
            }
            clients.clear();
            assertTrue(server.isAlive(), "the server exited: " + stderr);
            // The closed clients' threads end on their own time; until they have, a new client may still be refused.
            assertServedWithin(address, "still here".getBytes(UTF_8), 30, "the server stopped accepting after a thread failed to start");
            server.toHandle().destroy();
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
            awaitLine(stderr, l -> l.contains(": stopped;"), 5);
            String all = String.join("\n", stderr);
            assertTrue(all.matches("(?s).*thread-per-conn-echo: stopped; \\d+ connections served, .* refused \\(no thread\\).*"), all);
            assertTrue(stderr.stream().filter(l -> l.contains("connection refused")).count() <= 20, "a log flood: " + all);
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
