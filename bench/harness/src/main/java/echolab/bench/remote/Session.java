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

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.TailBuffer;
import echolab.bench.load.Agent;

/**
 * An agent as this tool talks to it ({@link echolab.bench.load.Agent}'s protocol), over ssh or on this machine: a
 * child process (registered, so it ends with this JVM) whose stdout is read as lines, each awaited with a
 * deadline, whose stderr is kept from its tail, and whose stdin takes lines; closing it kills the process (over
 * ssh, the session, which ends what it ran on the other host).
 */
public final class Session implements AutoCloseable {

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

    /** Starts {@code command} (an ssh command line, or a local one). */
    public static Session start(List<String> command, String name) throws IOException {
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

    /**
     * The next message of {@code kind} (its {@code echoLab}) the agent printed; null when it ended, or said nothing of
     * the kind, by the deadline. Other lines are passed over.
     */
    public JsonNode message(String kind, long deadlineNanos) throws InterruptedException {
        String line;
        while ((line = next(deadlineNanos)) != null) {
            try {
                JsonNode node = Agent.JSON.readTree(line);
                if (kind.equals(node.path("echoLab").asText())) {
                    return node;
                }
            } catch (IOException notJson) {
                // a line that is not the agent's: passed over
            }
        }
        return null;
    }

    /** Whether its output has ended (as opposed to being slow). */
    boolean ended() {
        return ended;
    }

    /** Sends one line to its stdin. */
    public void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The tail of what it wrote on stderr. */
    public String stderr() {
        return stderr.text();
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            ChildProcess.kill(process);
        }
    }
}
