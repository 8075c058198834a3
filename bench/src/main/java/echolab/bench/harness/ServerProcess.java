package echolab.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;


import echolab.bench.results.Json;

/**
 * One server under test, in its own process: ready once it prints {@code listening on}, watched
 * through /proc every 100 ms (RSS, threads, CPU time, open descriptors), its stderr kept from the tail,
 * stopped with SIGTERM (SIGKILL after 5 s, reported) and its machine-readable stop summary read.
 * {@link Launcher} builds the command line; this class runs it.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ: 100 on every Linux we run on
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final int port;
    private final TailBuffer stderr;
    private final Thread stderrReader;
    private final List<Sample> samples = new ArrayList<>();
    private final int listeningFiles;               // descriptors held once listening, before any client
    private final Thread sampler;
    private volatile boolean sampling = true;
    private Stopped stopped;

    /**
     * One /proc reading. RSS, threads and open files are as of now; CPU ticks, {@code io} and
     * {@code switches} are counters since the process started. {@code openFiles} is -1 and {@code io} or
     * {@code switches} null when they could not be read.
     */
    public record Sample(long nanos, long rssKiB, int threads, long cpuTicks, int openFiles, Io io, Switches switches) {

        Sample(long nanos, long rssKiB, int threads, long cpuTicks, int openFiles) {
            this(nanos, rssKiB, threads, cpuTicks, openFiles, null, null);
        }
    }

    /**
     * /proc/PID/io: read and write system calls ({@code syscr}, {@code syscw}) and the bytes through them
     * ({@code rchar}, {@code wchar}), over all the process's threads, those that ended included. Counts
     * read, readv, write and writev, which the JDK's sockets use; not recv, send and their kin (Netty's
     * native transport uses those, and shows none), nor epoll_wait, accept or futex.
     */
    public record Io(long readCalls, long writeCalls, long bytesRead, long bytesWritten) {
    }

    /**
     * Context switches summed over the process's live threads (/proc/PID/task/TID/status): voluntary (the
     * thread blocked: a read with nothing to read, a lock) and involuntary (the scheduler took the core).
     * Threads that ended are not in the sum; read only while the process has at most
     * {@value #MAX_THREADS_FOR_SWITCHES} threads, so that sampling stays cheap.
     */
    public record Switches(long voluntary, long involuntary) {
    }

    static final int MAX_THREADS_FOR_SWITCHES = 256;

    /** What the server printed for machines when it stopped (see echolab.common.ServerCommand). */
    public record StopSummary(long served, long bytesEchoed, long failed, long acceptFailures, long bytesAllocated,
                              long threadsStarted) {
    }

    /** How a stop went: the summary when the server printed one, else why not. */
    public record Stopped(StopSummary summary, String problem) {
    }

    private ServerProcess(String name, Process process, int port, TailBuffer stderr, Thread stderrReader) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        this.stderrReader = stderrReader;
        Sample first = sampleNow();
        this.listeningFiles = first == null ? -1 : first.openFiles();
        this.sampler = Thread.ofPlatform().daemon().name("proc-sampler").start(this::sampleLoop);
    }

    /** Starts {@code command}; returns once it printed {@code listening on}. A server that does not is killed and named. */
    static ServerProcess start(String name, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = ChildProcess.started(ChildProcess.builder(command).start());
        process.getOutputStream().close();
        TailBuffer err = new TailBuffer(64 * 1024);
        Thread stderrReader = Thread.ofPlatform().daemon().name(name + "-stderr").start(() -> ChildProcess.copy(process.getErrorStream(), err));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException ignored) {
                // the process went away: the exit is reported below
            }
            ready.completeExceptionally(new IOException(name + " exited before printing 'listening on'"));
        });
        try {
            return new ServerProcess(name, process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS), err, stderrReader);
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

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Client connections the server holds: its open descriptors beyond those it had once listening; -1 if unknown. */
    public int heldConnections(int openFiles) {
        return listeningFiles < 0 || openFiles < 0 ? -1 : Math.max(0, openFiles - listeningFiles);
    }

    /** The last lines the server wrote to stderr, for an error message. */
    public String lastWords() {
        return lastLines(stderr);
    }

    private void sampleLoop() {
        while (sampling && process.isAlive()) {
            Sample s = sampleNow();
            if (s != null) {
                synchronized (samples) {
                    samples.add(s);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads /proc/PID/status, stat, io, fd and (with few threads) task/TID/status now; null if the process is gone. */
    public Sample sampleNow() {
        try {
            Path proc = Path.of("/proc/" + process.pid());
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = number(line);
                } else if (line.startsWith("Threads:")) {
                    threads = (int) number(line);
                }
            }
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime + stime
            String[] fds = proc.resolve("fd").toFile().list();
            return new Sample(System.nanoTime(), rss, threads, ticks, fds == null ? -1 : fds.length, readIo(proc),
                    threads <= MAX_THREADS_FOR_SWITCHES ? readSwitches(proc) : null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Io readIo(Path proc) {
        try {
            long[] v = new long[4];
            for (String line : Files.readAllLines(proc.resolve("io"))) {
                int i = line.startsWith("syscr:") ? 0 : line.startsWith("syscw:") ? 1
                        : line.startsWith("rchar:") ? 2 : line.startsWith("wchar:") ? 3 : -1;
                if (i >= 0) {
                    v[i] = number(line);
                }
            }
            return new Io(v[0], v[1], v[2], v[3]);
        } catch (IOException | RuntimeException e) {
            return null;                                   // no permission, or the process is gone
        }
    }

    private static Switches readSwitches(Path proc) {
        String[] tasks = proc.resolve("task").toFile().list();
        if (tasks == null) {
            return null;
        }
        long voluntary = 0;
        long involuntary = 0;
        for (String task : tasks) {
            try {
                for (String line : Files.readAllLines(proc.resolve("task").resolve(task).resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        voluntary += number(line);
                    } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                        involuntary += number(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended between the listing and the read: it is not in the sum
            }
        }
        return new Switches(voluntary, involuntary);
    }

    private static long number(String procLine) {
        return Long.parseLong(procLine.substring(procLine.indexOf(':') + 1).replaceAll("\\D", ""));
    }

    /**
     * Server-side figures between two instants of this JVM's clock: peaks, and what the counters grew by
     * over the window ({@code io} and {@code switches} null when they could not be read).
     */
    public record Window(long peakRssKiB, int peakThreads, double cpuSeconds, int peakOpenFiles, Io io, Switches switches) {
    }

    public Window window(long fromNanos, long toNanos) {
        Sample now = sampleNow();
        List<Sample> copy;
        synchronized (samples) {
            if (now != null) {
                samples.add(now);
            }
            copy = new ArrayList<>(samples);
        }
        long peakRss = 0;
        int peakThreads = 0;
        int peakFiles = -1;
        for (Sample s : copy) {
            if (s.nanos() >= fromNanos - 100_000_000L && s.nanos() <= toNanos + 100_000_000L) {
                peakRss = Math.max(peakRss, s.rssKiB());
                peakThreads = Math.max(peakThreads, s.threads());
                peakFiles = Math.max(peakFiles, s.openFiles());
            }
        }
        ToLongFunction<ToLongFunction<Sample>> grew = counter -> Math.round(increase(copy, fromNanos, toNanos, counter));
        Io io = new Io(grew.applyAsLong(READ_CALLS), grew.applyAsLong(WRITE_CALLS), grew.applyAsLong(BYTES_READ),
                grew.applyAsLong(BYTES_WRITTEN));
        Switches switches = new Switches(grew.applyAsLong(VOLUNTARY), grew.applyAsLong(INVOLUNTARY));
        return new Window(peakRss, peakThreads, cpuSeconds(copy, fromNanos, toNanos), peakFiles,
                io.readCalls() < 0 || io.writeCalls() < 0 ? null : io, switches.voluntary() < 0 ? null : switches);
    }

    // The counters a window is measured on; -1 where a reading lacks it.
    private static final ToLongFunction<Sample> READ_CALLS = s -> s.io() == null ? -1 : s.io().readCalls();
    private static final ToLongFunction<Sample> WRITE_CALLS = s -> s.io() == null ? -1 : s.io().writeCalls();
    private static final ToLongFunction<Sample> BYTES_READ = s -> s.io() == null ? -1 : s.io().bytesRead();
    private static final ToLongFunction<Sample> BYTES_WRITTEN = s -> s.io() == null ? -1 : s.io().bytesWritten();
    private static final ToLongFunction<Sample> VOLUNTARY = s -> s.switches() == null ? -1 : s.switches().voluntary();
    private static final ToLongFunction<Sample> INVOLUNTARY = s -> s.switches() == null ? -1 : s.switches().involuntary();

    static double cpuSeconds(List<Sample> samples, long fromNanos, long toNanos) {
        double ticks = increase(samples, fromNanos, toNanos, Sample::cpuTicks);   // -1: the readings do not tell
        return ticks < 0 ? 0 : ticks / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * How much a counter (CPU ticks, system calls, context switches) grew in [from, to]; -1 when the
     * readings do not tell. The readings are ~100 ms apart and their spacing drifts when the sampler waits
     * for a busy core, so the difference between two readings covers a span that is not the window. The
     * counter's rate over the readings inside the window (a least-squares slope, which also averages out
     * the 10 ms steps of CPU ticks), times the window's length, does not depend on where the readings
     * fell; without enough readings inside, the rate between the readings that bracket it. Readings that
     * lack the counter are skipped.
     */
    static double increase(List<Sample> all, long fromNanos, long toNanos, ToLongFunction<Sample> counter) {
        List<Sample> samples = all.stream().filter(s -> counter.applyAsLong(s) >= 0).toList();
        List<Sample> inside = samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos).toList();
        double rate;
        if (inside.size() >= 3 && inside.getLast().nanos() - inside.getFirst().nanos() >= (toNanos - fromNanos) / 2) {
            rate = slopePerSecond(inside, counter);
        } else {
            Sample before = null;                           // the last reading at or before the start
            Sample after = null;                            // the first reading at or after the end
            for (Sample s : samples) {
                if (s.nanos() <= fromNanos) {
                    before = s;
                }
                if (after == null && s.nanos() >= toNanos) {
                    after = s;
                }
            }
            if (before == null || after == null || after.nanos() <= before.nanos()) {
                return -1;
            }
            rate = (counter.applyAsLong(after) - counter.applyAsLong(before)) / ((after.nanos() - before.nanos()) / 1e9);
        }
        return Math.max(0, rate * (toNanos - fromNanos) / 1e9);
    }

    private static double slopePerSecond(List<Sample> samples, ToLongFunction<Sample> counter) {
        double meanT = samples.stream().mapToDouble(s -> s.nanos() / 1e9).average().orElse(0);
        double meanC = samples.stream().mapToDouble(counter::applyAsLong).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            double dt = s.nanos() / 1e9 - meanT;
            covariance += dt * (counter.applyAsLong(s) - meanC);
            variance += dt * dt;
        }
        return covariance / variance;
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
        sampler.interrupt();
        String problem = null;
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildProcess.kill(process);
                problem = name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM: killed";
            }
        } else {
            problem = name + " had already exited (status " + process.exitValue() + ")" + lastLines(stderr);
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
