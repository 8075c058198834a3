package echolab.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import echolab.common.Framing;

import echolab.bench.base.Json;

/**
 * One server under test, in its own process: ready once it prints {@code listening on}, read through /proc
 * ({@link ProcReading}, summed up over a window by {@link ProcWindow}) at the edges of each window that this
 * JVM's load generator measures, or every so often for a load generated elsewhere, its stderr kept from the tail,
 * stopped with SIGTERM (SIGKILL after 5 s, reported) and its machine-readable stop summary read.
 * {@link Launcher} builds the command line; this class runs it.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final List<String> command;
    private final Process process;
    private final String host;
    private final int port;
    private final TailBuffer stderr;
    private final Thread stderrReader;
    private final List<ProcReading> samples = new ArrayList<>();
    private final int listeningFiles;               // descriptors held once listening, before any client
    private Thread sampler;                          // periodic readings, only for a load generated elsewhere
    private volatile long peakResetNanos = Long.MIN_VALUE;   // when its peak RSS was last reset, to start a window
    private final CpuCgroup.Joined cpu;             // the server's own cgroup, for its CPU time in ns; else why not
    private final CpuQuota.Joined quota;            // its group for a CPU quota, not held until it is asked; else why not
    private final VirtualThreadTelemetry telemetry; // its JFR recording of virtual threads; null when it has none
    private final String remoteHost;                // the host it runs on, over ssh; null when it runs here
    private final Optional<Framing.Terminator> terminator;   // a line server's: every load's messages end with it
    private volatile boolean sampling = true;
    private volatile long sampleEveryMillis;
    private Stopped stopped;

    /** What the server printed for machines when it stopped (see echolab.common.ServerCommand). */
    public record StopSummary(long served, long bytesEchoed, long failed, long acceptFailures, long bytesAllocated,
                              long threadsStarted) {
    }

    /** How a stop went: the summary when the server printed one, else why not. */
    public record Stopped(StopSummary summary, String problem) {
    }

    private ServerProcess(String name, List<String> command, Process process, String host, int port, TailBuffer stderr,
                          Thread stderrReader, VirtualThreadTelemetry telemetry, String remoteHost,
                          Optional<Framing.Terminator> terminator) {
        this.name = name;
        this.terminator = terminator;
        this.remoteHost = remoteHost;
        this.host = host;
        this.command = List.copyOf(command);
        this.telemetry = telemetry;
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        this.stderrReader = stderrReader;
        if (remoteHost != null) {                         // nothing of it is here to read
            this.cpu = new CpuCgroup.Joined(null, "the server runs on " + remoteHost);
            this.quota = new CpuQuota.Joined(null, "the server runs on " + remoteHost);
            this.listeningFiles = -1;
            return;
        }
        this.cpu = CpuCgroup.join(process.pid());
        this.quota = CpuQuota.join(process.pid());     // from the start, so that every point schedules it alike
        ProcReading first = sampleNow();
        this.listeningFiles = first == null ? -1 : first.openFiles();
    }

    /** As below, for a command that starts no recording. */
    static ServerProcess start(String name, List<String> command, Duration timeout) throws IOException, InterruptedException {
        return start(name, command, timeout, null);
    }

    /**
     * Starts {@code command}; returns once it printed {@code listening on}. A server that does not is killed and
     * named. {@code telemetry}: the recording the command starts (see {@link Launcher}), or null.
     */
    static ServerProcess start(String name, List<String> command, Duration timeout, VirtualThreadTelemetry telemetry)
            throws IOException, InterruptedException {
        return start(name, command, timeout, telemetry, null, Optional.empty());
    }

    /**
     * As above, for a server that {@code command} runs on {@code remoteHost} over ssh: nothing of it can be read
     * here ({@link #window} is null), and it stops when its session's input closes. {@code terminator}: a line
     * server's, which every load sent to it uses ({@link #terminator}).
     */
    static ServerProcess start(String name, List<String> command, Duration timeout, VirtualThreadTelemetry telemetry,
                               String remoteHost, Optional<Framing.Terminator> terminator) throws IOException, InterruptedException {
        Process process = ChildProcess.started(ChildProcess.builder(command).start());
        if (remoteHost == null) {
            process.getOutputStream().close();
        }
        TailBuffer err = new TailBuffer(64 * 1024);
        Thread stderrReader = Thread.ofPlatform().daemon().name(name + "-stderr").start(() -> ChildProcess.copy(process.getErrorStream(), err));
        CompletableFuture<String[]> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ready.complete(new String[] {m.group(1), m.group(2)});
                    }
                }
            } catch (IOException ignored) {
                // the process went away: the exit is reported below
            }
            ready.completeExceptionally(new IOException(name + " exited before printing 'listening on'"));
        });
        try {
            String[] at = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ServerProcess(name, command, process, at[0], Integer.parseInt(at[1]), err, stderrReader, telemetry, remoteHost, terminator);
        } catch (TimeoutException e) {
            ChildProcess.kill(process);
            throw new IOException(name + " printed no 'listening on' line within " + timeout.toSeconds() + " s: killed"
                    + lastLines(err));
        } catch (ExecutionException e) {
            ChildProcess.kill(process);
            stderrReader.join(1_000);
            throw new IOException(e.getCause().getMessage() + lastLines(err));
        }
    }

    private static String lastLines(TailBuffer err) {
        String text = err.text().strip();
        if (text.isEmpty()) {
            return "";
        }
        String[] lines = text.split("\n");
        return "; stderr: " + String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }

    public String name() {
        return name;
    }

    /** For a line server, the terminator each message of a load sent to it must end with; else empty. */
    public Optional<Framing.Terminator> terminator() {
        return terminator;
    }

    /** The address it listens on, as it printed it. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The command it was started with. */
    public List<String> commandLine() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the server has written to stderr that is still kept (the last 64 KiB). */
    public String stderrText() {
        return stderr.text();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Client connections the server holds: its open descriptors beyond those it had once listening; -1 if unknown. */
    public int heldConnections(int openFiles) {
        return listeningFiles < 0 || openFiles < 0 ? -1 : Math.max(0, openFiles - listeningFiles);
    }

    /**
     * Reads the server's /proc every {@code interval} from now on, for a load that this JVM does not generate
     * (from other hosts), whose window is known only once it has ended. A load generated here needs no periodic
     * readings: it reads at its window's edges ({@link #windowOpens}, {@link #windowCloses}), since a reading
     * costs this process half a millisecond of CPU for a JVM server (its threads' files) and several with
     * 20,000 descriptors, and a reading inside the window would be a stall of the generator's own making.
     */
    public synchronized void sampleEvery(java.time.Duration interval) {
        sampleEveryMillis = Math.max(10, interval.toMillis());
        if (sampler == null && remoteHost == null && stopped == null) {
            sampler = Thread.ofPlatform().daemon().name("proc-sampler").start(this::sampleLoop);
        }
    }

    /**
     * The reading a window starts from, taken just before it opens: the counters, and the peak RSS reset so
     * that the reading at the window's end carries the peak it reached in between.
     */
    public void windowOpens() {
        ProcReading r = sampleNow();
        if (r != null) {
            keep(r);
            if (ProcReading.resetPeakRss(process.pid())) {
                peakResetNanos = System.nanoTime();
            }
        }
    }

    /** The reading a window ends with, taken once it has closed. */
    public void windowCloses() {
        ProcReading r = sampleNow();
        if (r != null) {
            keep(r);
        }
    }

    private void keep(ProcReading r) {
        synchronized (samples) {
            samples.add(r);
        }
    }

    /** The host it runs on over ssh; null when it runs here. */
    public String remoteHost() {
        return remoteHost;
    }

    /** Reads the server's /proc now; null if it is gone, or runs on another host. */
    public ProcReading sampleNow() {
        return remoteHost != null ? null : ProcReading.of(process.pid(), cpu.group());
    }

    /**
     * The server's figures between two instants of this JVM's clock, from the readings taken at its edges or
     * every so often, and one taken now; null for a server on another host.
     */
    public ProcWindow window(long fromNanos, long toNanos) {
        if (remoteHost != null) {
            return null;
        }
        ProcReading now = sampleNow();
        List<ProcReading> copy;
        synchronized (samples) {
            if (now != null) {
                samples.add(now);
            }
            copy = new ArrayList<>(samples);
        }
        return ProcWindow.over(copy, fromNanos, toNanos, peakResetNanos);
    }

    /**
     * What the server's virtual threads did between two instants of this JVM's clock, from its JFR recording;
     * null for a server without one, or when the recording could not be read.
     */
    public echolab.bench.results.Trial.VirtualThreads virtualThreads(long fromNanos, long toNanos) throws IOException, InterruptedException {
        if (telemetry == null || !process.isAlive()) {
            return null;
        }
        java.time.Instant now = java.time.Instant.now();
        long nowNanos = System.nanoTime();
        return telemetry.over(now.minusNanos(nowNanos - fromNanos), now.minusNanos(nowNanos - toNanos));
    }

    /** A hold on the server's CPU: while it is open the server may use only its share of a CPU. */
    public interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /**
     * Holds the server to {@code share} of a CPU until the returned hold is closed; an IOException says why it
     * cannot be held (no root, no cgroup v1 cpu hierarchy, or a server on another host).
     */
    public synchronized Held heldTo(echolab.bench.results.CpuShare share) throws IOException {
        if (quota.quota() == null) {
            throw new IOException(quota.whyNot());
        }
        CpuQuota q = quota.quota();
        q.hold(share);
        return () -> {
            if (process.isAlive()) {                       // an ended server's group is gone, and its hold with it
                q.release();
            }
        };
    }

    /** Why this server's CPU time is read by the kernel's tick instead of its cgroup; null when it is not. */
    public String cpuClockProblem() {
        return cpu.whyNot();
    }

    /**
     * The line of the server's stderr that says what went wrong, for a failed trial's message: the root
     * cause of its first exception ({@code Caused by: ...}, else the exception's own line); empty when it
     * printed none.
     */
    public String complaint() {
        return complaintIn(stderr.text());
    }

    static String complaintIn(String stderrText) {
        String[] lines = stderrText.split("\n");
        String first = null;
        for (String line : lines) {
            if (first == null && (line.startsWith("Exception in thread") || line.matches("^[\\w.$]+(Exception|Error)\\b.*"))) {
                first = line.strip();
            } else if (first != null && line.startsWith("Caused by: ")) {
                first = line.strip();
            } else if (first != null && !line.startsWith("\t") && !line.startsWith("Caused by") && !line.startsWith("\t...")) {
                break;                                   // the end of the first exception's trace
            }
        }
        return first == null ? "" : "; the server said: " + first;
    }

    /** The last lines the server wrote to stderr, for an error message. */
    public String lastWords() {
        return lastLines(stderr);
    }

    private void sampleLoop() {
        while (sampling && process.isAlive()) {
            ProcReading s = sampleNow();
            if (s != null) {
                keep(s);
            }
            try {
                Thread.sleep(sampleEveryMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * SIGTERM, then SIGKILL if it has not gone within 5 s; then its stop summary, the last line of the
     * form {@code {"echo-lab":"stop-summary",...}} on its stderr. Idempotent.
     */
    public synchronized Stopped stop() throws InterruptedException {
        if (stopped != null) {
            return stopped;
        }
        sampling = false;
        if (sampler != null) {
            sampler.interrupt();
        }
        String problem = null;
        if (process.isAlive() && remoteHost != null) {
            try {
                process.getOutputStream().close();           // its session's end stops it there
            } catch (IOException ignored) {
                // the session is gone already
            }
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcess.kill(process);
                problem = name + " on " + remoteHost + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s: its session was killed";
            }
        } else if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcess.kill(process);
                problem = name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM: killed";
            }
        } else {
            problem = name + " had already exited (status " + process.exitValue() + ")" + lastLines(stderr);
        }
        if (cpu.group() != null && !process.isAlive()) {
            cpu.group().close();
        }
        if (quota.quota() != null && !process.isAlive()) {
            quota.quota().close();
        }
        if (telemetry != null) {
            telemetry.close();
        }
        stderrReader.join(2_000);                          // the stop summary is the last thing on stderr
        StopSummary summary = parseSummary(stderr.text());
        if (summary == null && problem == null) {
            problem = name + " printed no stop summary" + lastLines(stderr);
        }
        stopped = new Stopped(summary, problem);
        return stopped;
    }

    static StopSummary parseSummary(String stderr) {
        String[] lines = stderr.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("{\"echo-lab\":\"stop-summary\"")) {
                try {
                    return Json.MAPPER.readValue(lines[i], StopSummary.class);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
