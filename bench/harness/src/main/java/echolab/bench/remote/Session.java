package echolab.bench.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.TailBuffer;

/**
 * An ssh session as this tool talks to it: a child process (registered, so it ends with this JVM) whose
 * stdout is read as lines, each awaited with a deadline, whose stderr is kept from its tail, and whose stdin
 * takes lines; closing it kills the session, which ends what it ran on the other host.
 */
final class Session implements AutoCloseable {

    private static final String END = "\u0000end";

    private final Process process;
    private final TailBuffer stderr = new TailBuffer(16 * 1024);
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    private Session(Process process, String name) {
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-err").start(() -> ChildProcess.copy(process.getErrorStream(), stderr));
        Thread.ofPlatform().daemon().name(name + "-out").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the session ended: what follows reads as its end
            }
            lines.add(END);
        });
    }

    /** Starts {@code command} (an ssh command line). */
    static Session start(List<String> command, String name) throws IOException {
        return new Session(ChildProcess.started(ChildProcess.builder(command).start()), name);
    }

    /** The next line it printed; null when none came by the deadline ({@link System#nanoTime}) or it has ended. */
    String next(long deadlineNanos) throws InterruptedException {
        if (ended) {
            return null;
        }
        String line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (END.equals(line)) {
            ended = true;
            return null;
        }
        return line;
    }

    /** Whether its output has ended (as opposed to being slow). */
    boolean ended() {
        return ended;
    }

    /** Sends one line to its stdin. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String stderr() {
        return stderr.text();
    }

    Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            ChildProcess.kill(process);
        }
    }
}
