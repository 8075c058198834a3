package echolab.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.TailBuffer;
import echolab.bench.base.Json;

/**
 * The ladder's clients: as many {@link Holder} processes as its connections need (at most
 * {@value #PER_HOLDER} each, well inside any process's descriptor limit), pinned with the load generator,
 * each connecting from its own loopback source address. A command goes to all of them at once; their
 * answers are added up. Closing ends them, and each ends by itself if this tool dies.
 */
final class Holders implements AutoCloseable {

    static final int PER_HOLDER = 8_000;

    /** One holder process: what it holds, its stdin, its stdout lines as they come, the tail of its stderr. */
    private record Proc(Process process, Writer commands, LinkedBlockingQueue<String> replies, TailBuffer stderr, int[] held) {
    }

    private final Pinning pinning;
    private final int port;
    private final int addressGroup;
    private final List<Proc> procs = new ArrayList<>();

    /** Holders for the server on {@code port}; {@code addressGroup} (1-250) picks their source addresses, 127.0.GROUP.2 on. */
    Holders(Pinning pinning, int port, int addressGroup) {
        this.pinning = pinning;
        this.port = port;
        this.addressGroup = addressGroup;
    }

    /** Connections open now, as the holders last counted them. */
    int held() {
        return procs.stream().mapToInt(p -> p.held()[0]).sum();
    }

    /** Opens {@code more} connections, filling the holders in turn and starting new ones as needed. */
    Holder.Opened open(int more) throws IOException, InterruptedException {
        int[] share = new int[procs.size() + (more + PER_HOLDER - 1) / PER_HOLDER];
        int left = more;
        for (int i = 0; left > 0; i++) {
            if (i == procs.size()) {
                procs.add(start(i));
            }
            share[i] = Math.min(left, PER_HOLDER - procs.get(i).held()[0]);
            left -= share[i];
        }
        List<Proc> asked = new ArrayList<>();
        for (int i = 0; i < procs.size(); i++) {
            if (share[i] > 0) {
                send(procs.get(i), "open " + share[i]);
                asked.add(procs.get(i));
            }
        }
        Duration wait = Duration.ofNanos(Holder.CONNECT_TIMEOUT_NANOS).plusMillis(more).plusSeconds(15);
        int opened = 0;
        int failed = 0;
        int held = 0;
        int closed = 0;
        double seconds = 0;
        String firstError = null;
        for (Proc p : asked) {
            Holder.Opened o = reply(p, wait, Holder.Opened.class);
            p.held()[0] = o.held();
            opened += o.opened();
            failed += o.failed();
            seconds = Math.max(seconds, o.seconds());
            firstError = firstError == null ? o.firstError() : firstError;
            closed += o.closedByServer();
        }
        for (Proc p : procs) {
            held += p.held()[0];
        }
        return new Holder.Opened(opened, failed, firstError, seconds, held, closed);
    }

    /** Every held connection active for {@code duration}, one message each {@code period}; the holders' answers added up. */
    Holder.Active active(Duration period, Duration duration) throws IOException, InterruptedException {
        for (Proc p : procs) {
            send(p, "active " + period.toMillis() + " " + duration.toMillis());
        }
        Duration wait = duration.plusNanos(Holder.DRAIN_NANOS).plusSeconds(15);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long sent = 0;
        long answered = 0;
        long unanswered = 0;
        long corrupt = 0;
        int answering = 0;
        int silent = 0;
        int closed = 0;
        double busy = 0;
        for (Proc p : procs) {
            Holder.Active a = reply(p, wait, Holder.Active.class);
            latency.add(a.latency());
            sent += a.sent();
            answered += a.answered();
            unanswered += a.unanswered();
            corrupt += a.corrupt();
            answering += a.answeringConnections();
            silent += a.silentConnections();
            closed += a.closedByServer();
            busy = Math.max(busy, a.busy());
        }
        return new Holder.Active(sent, answered, unanswered, answering, silent, corrupt, closed, busy, Holder.encode(latency));
    }

    private Proc start(int index) throws IOException {
        String source = "127.0." + addressGroup + "." + (2 + index);
        List<String> command = pinning.generator(List.of(Launcher.currentJava(), "-Xmx512m", "-XX:+UseSerialGC", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), "127.0.0.1", String.valueOf(port), source));
        Process process = ChildProcess.started(ChildProcess.builder(command).start());
        TailBuffer stderr = new TailBuffer(16 * 1024);
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("holder-" + index + "-stderr").start(() -> ChildProcess.copy(process.getErrorStream(), stderr));
        Thread.ofPlatform().daemon().name("holder-" + index + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    replies.add(line);
                }
            } catch (IOException ignored) {
                // the holder ended: the next reply() says so
            }
        });
        return new Proc(process, new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), replies, stderr, new int[1]);
    }

    private static void send(Proc p, String command) throws IOException {
        p.commands().write(command + "\n");
        p.commands().flush();
    }

    private static <T> T reply(Proc p, Duration wait, Class<T> type) throws IOException, InterruptedException {
        String line = p.replies().poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            String why = p.process().isAlive() ? "did not answer within " + wait.toSeconds() + " s" : "exited";
            throw new IOException("a client holder " + why + "; its stderr: " + p.stderr().text().strip());
        }
        return Json.MAPPER.readValue(line, type);
    }

    @Override
    public void close() throws InterruptedException {
        for (Proc p : procs) {
            try {
                send(p, "close");
                p.commands().close();
            } catch (IOException ignored) {
                // it is gone already
            }
        }
        for (Proc p : procs) {
            if (!p.process().waitFor(10, TimeUnit.SECONDS)) {
                ChildProcess.kill(p.process());
            }
        }
        procs.clear();
    }
}
