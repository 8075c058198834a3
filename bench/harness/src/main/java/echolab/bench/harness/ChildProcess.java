package echolab.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import echolab.common.Lifeline;

/**
 * A short-lived child process (git, Maven, the C compiler, the native client, taskset) with a real
 * timeout: its output is read on another thread while this one waits, so a child that hangs without
 * closing its output is still killed, with its descendants, when the time is up, and named. Every child
 * the tools start is {@linkplain #started registered}: a tool stopped by Ctrl-C or SIGTERM kills its
 * children on its way out instead of leaving servers behind.
 */
public final class ChildProcess {

    /** Children not yet exited; killed, with their descendants, when this JVM shuts down. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "kill-children"));
    }

    /** What the child printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The child did not finish in time; it and its descendants were killed. The message names the command. */
    public static final class TimedOut extends IOException {
        TimedOut(List<String> command, Duration timeout) {
            super("'" + String.join(" ", command) + "' hung: killed after " + timeout.toSeconds() + " s");
        }
    }

    private ChildProcess() {
    }

    /** Registers a child just started, so that it does not outlive this JVM; returns it. */
    public static Process started(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }

    /**
     * A builder for {@code command} whose process, if it is one of echo-lab's (a server, a peer, a helper JVM),
     * ends by itself when this JVM is gone however it ends ({@link Lifeline}); Ctrl-C and SIGTERM are
     * handled sooner, by the shutdown hook above.
     */
    public static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(Lifeline.ENV, String.valueOf(ProcessHandle.current().pid()));
        return builder;
    }

    public static Result run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = started(builder.start());
        process.getOutputStream().close();
        TailBuffer output = new TailBuffer(256 * 1024);
        Thread reader = Thread.ofPlatform().daemon().name("child-output").start(() -> copy(process.getInputStream(), output));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(process);
            throw new TimedOut(command, timeout);
        }
        reader.join(2_000);                                 // the rest of the output, if a grandchild does not hold the pipe
        return new Result(process.exitValue(), output.text());
    }

    /** SIGKILL to the process and everything it started. */
    public static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    public static void copy(InputStream in, TailBuffer into) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the child ended or was killed: what was read is kept
        }
    }
}
