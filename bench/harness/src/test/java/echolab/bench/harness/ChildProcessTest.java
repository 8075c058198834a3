package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Children that hang are killed and named: a short-lived child past its timeout (even one whose
 * grandchild keeps the output open), a server that never says it is listening, a server that ignores
 * SIGTERM. A tool stopped by SIGTERM takes its children with it. And a chatty server's stop summary
 * survives, since stderr is kept from its tail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildProcessTest {

    @Test
    void aChildThatHangsIsKilledAndNamedWhenItsTimeoutIsUp() {
        // The grandchild holds the pipe open: reading to the end first would wait for it for a minute.
        List<String> command = List.of("bash", "-c", "sleep 60 & sleep 60");
        long start = System.nanoTime();
        ChildProcess.TimedOut e = assertThrows(ChildProcess.TimedOut.class,
                () -> ChildProcess.run(command, null, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("'bash -c sleep 60 & sleep 60' hung: killed after 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "the timeout did not fire");
    }

    /** Stands in for a tool: starts a server that would run for five minutes, says so, and waits. */
    public static final class ToolWithAServer {
        public static void main(String[] args) throws Exception {
            ServerProcess.start("long-server", List.of("bash", "-c", "echo 'listening on 127.0.0.1:9'; exec sleep 300"),
                    Duration.ofSeconds(10));
            System.out.println("started");
            System.out.flush();
            Thread.sleep(300_000);
        }
    }

    @Test
    void aToolStoppedBySigtermLeavesNoServerBehind() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process tool = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ToolWithAServer.class.getName())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(tool.getInputStream())).readLine();
            assertEquals("started", line);
            List<ProcessHandle> children = tool.descendants().toList();
            assertFalse(children.isEmpty(), "the tool's server is running");
            tool.destroy();                                               // SIGTERM, as Ctrl-C or a CI timeout would
            assertTrue(tool.waitFor(20, TimeUnit.SECONDS), "the tool exits on SIGTERM");
            for (ProcessHandle child : children) {
                child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).get();
                assertFalse(child.isAlive(), "left behind: " + child.info().commandLine().orElse("pid " + child.pid()));
            }
        } finally {
            tool.descendants().forEach(ProcessHandle::destroyForcibly);
            tool.destroyForcibly();
        }
    }

    @Test
    void aChildThatFinishesGivesItsOutputAndExitCode() throws Exception {
        ChildProcess.Result r = ChildProcess.run(List.of("bash", "-c", "echo out; echo err >&2; exit 3"), null, Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertTrue(r.output().contains("out") && r.output().contains("err"), r.output());
    }

    @Test
    void aServerThatNeverListensIsKilledAndNamed() {
        IOException e = assertThrows(IOException.class, () ->
                ServerProcess.start("mute-server", List.of("bash", "-c", "echo starting >&2; exec sleep 60"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("mute-server printed no 'listening on' line within 1 s: killed"), e.getMessage());
        assertTrue(e.getMessage().contains("starting"), "its last stderr line is shown: " + e.getMessage());
    }

    @Test
    void aServerThatIgnoresSigtermIsKilledAndTheStopSaysSo() throws Exception {
        ServerProcess server = ServerProcess.start("stubborn-server",
                List.of("bash", "-c", "trap '' TERM; echo 'listening on 127.0.0.1:9'; while true; do sleep 0.1; done"), Duration.ofSeconds(10));
        assertEquals(9, server.port());
        ServerProcess.Stopped stopped = server.stop();
        assertFalse(server.alive());
        assertNull(stopped.summary());
        assertEquals("stubborn-server did not stop within 5 s of SIGTERM: killed", stopped.problem());
    }

    @Test
    void aChattyServersStopSummaryIsReadFromTheTailOfItsStderr() throws Exception {
        String script = "echo 'listening on 127.0.0.1:9'; trap 'for i in $(seq 1 20000); do echo \"noise line $i\" >&2; done; "
                + "echo \"{\\\"echo-lab\\\":\\\"stop-summary\\\",\\\"served\\\":3,\\\"bytesEchoed\\\":192,\\\"failed\\\":0,"
                + "\\\"acceptFailures\\\":0,\\\"bytesAllocated\\\":4096,\\\"threadsStarted\\\":17}\" >&2; exit 0' TERM; "
                + "while true; do sleep 0.1; done";
        ServerProcess server = ServerProcess.start("chatty-server", List.of("bash", "-c", script), Duration.ofSeconds(10));
        ServerProcess.Stopped stopped = server.stop();
        assertNotNull(stopped.summary(), "no summary after 20,000 lines of noise: " + stopped.problem());
        assertEquals(new ServerProcess.StopSummary(3, 192, 0, 0, 4096, 17), stopped.summary());
        assertNull(stopped.problem());
    }

    @Test
    void aServerThatPrintsNoSummaryIsReportedNotSilentlyMissing() throws Exception {
        ServerProcess server = ServerProcess.start("quiet-server",
                List.of("bash", "-c", "echo 'listening on 127.0.0.1:9'; trap 'echo bye >&2; exit 0' TERM; while true; do sleep 0.1; done"),
                Duration.ofSeconds(10));
        ServerProcess.Stopped stopped = server.stop();
        assertNull(stopped.summary());
        assertTrue(stopped.problem().startsWith("quiet-server printed no stop summary"), stopped.problem());
    }
}
