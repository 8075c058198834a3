package echolab.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test, in its own process: started pinned with taskset, ready once it prints
 * {@code listening on}, watched through /proc (RSS, threads, CPU time) every 100 ms, stopped with
 * SIGTERM (SIGKILL after 5 s).
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ: 100 on every Linux we run on

    private final Process process;
    private final int port;
    private final StringBuilder stderr;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean sampling = true;
    private Thread drainer;

    /** One /proc reading. */
    public record Sample(long nanos, long rssKiB, int threads, long cpuTicks) {
    }

    private ServerProcess(Process process, int port, StringBuilder stderr) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        this.sampler = Thread.ofPlatform().daemon().name("proc-sampler").start(this::sampleLoop);
    }

    public static ServerProcess start(List<String> command, long timeoutMillis) throws IOException {
        Process process = new ProcessBuilder(command).start();
        StringBuilder err = new StringBuilder();
        Thread drainer = Thread.ofPlatform().daemon().start(() -> drain(process.getErrorStream(), err));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && !ready.isDone()) {
                        ready.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException ignored) {
                // the process went away: handled below by the timeout or exit check
            }
            ready.completeExceptionally(new IOException("exited before printing 'listening on'"));
        });
        int port;
        try {
            port = ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            String why = e.getCause() != null ? e.getCause().getMessage() : "no 'listening on' line within " + timeoutMillis + " ms";
            throw new IOException(why + (err.isEmpty() ? "" : "; stderr: " + err.toString().strip()));
        }
        ServerProcess server = new ServerProcess(process, port, err);
        server.drainer = drainer;
        return server;
    }

    private static void drain(InputStream in, StringBuilder into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    if (into.length() < 64 * 1024) {
                        into.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
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

    /** Reads /proc/PID/status and /proc/PID/stat now; null if the process is gone. */
    public Sample sampleNow() {
        try {
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime + stime
            return new Sample(System.nanoTime(), rss, threads, ticks);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Open file descriptors of the server: sockets it has accepted show up here. */
    int openFiles() {
        String[] fds = Path.of("/proc/" + pid() + "/fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /** Server-side figures between two instants of this JVM's clock. */
    public record Window(long peakRssKiB, int peakThreads, double cpuSeconds) {
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
        for (Sample s : copy) {
            if (s.nanos() >= fromNanos - 100_000_000L && s.nanos() <= toNanos + 100_000_000L) {
                peakRss = Math.max(peakRss, s.rssKiB());
                peakThreads = Math.max(peakThreads, s.threads());
            }
        }
        return new Window(peakRss, peakThreads, cpuSeconds(copy, fromNanos, toNanos));
    }

    /**
     * CPU seconds the server spent in [from, to]. The readings are ~100 ms apart and their spacing drifts
     * when the sampler waits for a busy core, so the difference between two readings covers a span that
     * is not the window. The rate between the first and last reading inside the window, times the
     * window's length, does not depend on where the readings fell; without two readings inside, the rate
     * between the readings that bracket it.
     */
    static double cpuSeconds(List<Sample> samples, long fromNanos, long toNanos) {
        Sample first = null;
        Sample last = null;
        for (Sample s : samples) {
            if (s.nanos() >= fromNanos && s.nanos() <= toNanos) {
                if (first == null) {
                    first = s;
                }
                last = s;
            }
        }
        if (first == null || last.nanos() - first.nanos() < (toNanos - fromNanos) / 2) {
            first = null;
            last = null;
            for (Sample s : samples) {
                if (s.nanos() <= fromNanos) {
                    first = s;                              // the last reading at or before the start
                }
                if (last == null && s.nanos() >= toNanos) {
                    last = s;                               // the first reading at or after the end
                }
            }
        }
        if (first == null || last == null || last.nanos() <= first.nanos()) {
            return 0;
        }
        double rate = (last.cpuTicks() - first.cpuTicks()) / (double) CLOCK_TICKS_PER_SECOND
                / ((last.nanos() - first.nanos()) / 1e9);
        return Math.max(0, rate * (toNanos - fromNanos) / 1e9);
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampling = false;
        sampler.interrupt();
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (drainer != null) {
            drainer.join(2_000);                           // the stop summary is the last thing on stderr
        }
    }
}
