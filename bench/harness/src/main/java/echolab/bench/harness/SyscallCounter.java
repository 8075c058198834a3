package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import echolab.bench.results.Trial;

/**
 * The system calls a server makes, counted by the kernel: {@code perf stat} on the kernel's syscall
 * tracepoints, attached to the server's process (threads it starts later included), printing counts every
 * 100 ms, of which those wholly inside a measured window give its rate. Counting is not free: with the
 * tracepoints on, every system call of the process takes the kernel's slower path (about 10% more CPU per
 * message for the selector server here), so a trial that counts is not one whose time or CPU is reported
 * as the server's. Needs Linux's {@code perf} (Debian: linux-perf) and root, or kernel.perf_event_paranoid
 * at most 1.
 */
public final class SyscallCounter implements AutoCloseable {

    /** The calls told apart; each is one or more of the kernel's syscall tracepoints. */
    enum Call {
        ALL("raw_syscalls:sys_enter"),
        READS("syscalls:sys_enter_read", "syscalls:sys_enter_recvfrom", "syscalls:sys_enter_readv", "syscalls:sys_enter_recvmsg"),
        WRITES("syscalls:sys_enter_write", "syscalls:sys_enter_sendto", "syscalls:sys_enter_writev", "syscalls:sys_enter_sendmsg"),
        EPOLL_WAITS("syscalls:sys_enter_epoll_wait", "syscalls:sys_enter_epoll_pwait", "syscalls:sys_enter_epoll_pwait2"),
        EPOLL_CTLS("syscalls:sys_enter_epoll_ctl"),
        IO_URING_ENTERS("syscalls:sys_enter_io_uring_enter"),
        FUTEXES("syscalls:sys_enter_futex");

        final List<String> tracepoints;

        Call(String... tracepoints) {
            this.tracepoints = List.of(tracepoints);
        }

        static Call of(String tracepoint) {
            for (Call c : values()) {
                if (c.tracepoints.contains(tracepoint)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static final long INTERVAL_MILLIS = 100;
    private static volatile String unavailable;
    private static volatile boolean probed;

    private final Process perf;
    private final Path output;
    private final long startedNanos;

    private SyscallCounter(Process perf, Path output, long startedNanos) {
        this.perf = perf;
        this.output = output;
        this.startedNanos = startedNanos;
    }

    /** Why system calls cannot be counted here (no perf, no permission, no tracepoints); null when they can. */
    public static String whyUnavailable() {
        if (!probed) {
            unavailable = probe();
            probed = true;
        }
        return unavailable;
    }

    private static String probe() {
        try {
            ChildProcess.Result r = ChildProcess.run(List.of("perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "--", "true"),
                    null, Duration.ofSeconds(10));
            if (!r.ok() || !r.output().contains("raw_syscalls:sys_enter") || r.output().contains("not supported")) {
                String line = r.output().strip().lines().findFirst().orElse("exit status " + r.exitCode());
                return "perf cannot count the kernel's syscall tracepoints here (" + line
                        + "); it needs root or kernel.perf_event_paranoid <= 1";
            }
            return null;
        } catch (ChildProcess.TimedOut e) {
            return "perf did not answer within 10 s";
        } catch (IOException e) {
            return "perf is not installed (Debian: apt-get install linux-perf)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing perf";
        }
    }

    /** Starts counting the system calls of process {@code pid} and of the threads it starts from now on. */
    public static SyscallCounter attach(long pid) throws IOException {
        Path output = Files.createTempFile("echolab-perf-", ".csv");
        List<String> command = new ArrayList<>(List.of("perf", "stat", "-x,", "-I", String.valueOf(INTERVAL_MILLIS), "-o",
                output.toString(), "-p", String.valueOf(pid)));
        for (Call c : Call.values()) {
            for (String t : c.tracepoints) {
                command.addAll(List.of("-e", t));
            }
        }
        long started = System.nanoTime();
        Process perf = ChildProcess.started(ChildProcess.builder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        return new SyscallCounter(perf, output, started);
    }

    /**
     * Stops counting; per message over a window of this JVM's clock in which {@code messages} were echoed,
     * from the intervals wholly inside it; null when none was (a window shorter than two intervals).
     */
    public Trial.SystemCalls stop(long fromNanos, long toNanos, long messages) throws IOException, InterruptedException {
        close();
        List<String> lines = Files.readAllLines(output);
        Files.deleteIfExists(output);
        Map<Long, EnumMap<Call, Long>> intervals = new TreeMap<>();     // interval end (ns since start) -> counts
        for (String line : lines) {
            String[] f = line.strip().split(",");
            if (line.startsWith("#") || f.length < 4) {
                continue;
            }
            Call call = Call.of(f[3]);
            if (call == null) {
                continue;
            }
            long count = f[1].matches("\\d+") ? Long.parseLong(f[1]) : 0;      // "<not counted>": not scheduled, none
            long end = Math.round(Double.parseDouble(f[0]) * 1e9);
            intervals.computeIfAbsent(end, k -> new EnumMap<>(Call.class)).merge(call, count, Long::sum);
        }
        EnumMap<Call, Long> sum = new EnumMap<>(Call.class);
        long covered = 0;
        for (Map.Entry<Long, EnumMap<Call, Long>> e : intervals.entrySet()) {
            long end = startedNanos + e.getKey();
            long start = end - TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
            if (start >= fromNanos && end <= toNanos) {
                covered += end - start;
                e.getValue().forEach((c, n) -> sum.merge(c, n, Long::sum));
            }
        }
        if (covered == 0 || messages == 0) {
            return null;
        }
        double messagesCovered = messages * (double) covered / (toNanos - fromNanos);
        java.util.function.ToDoubleFunction<Call> per = c -> sum.getOrDefault(c, 0L) / messagesCovered;
        return new Trial.SystemCalls(per.applyAsDouble(Call.ALL), per.applyAsDouble(Call.READS), per.applyAsDouble(Call.WRITES),
                per.applyAsDouble(Call.EPOLL_WAITS), per.applyAsDouble(Call.EPOLL_CTLS), per.applyAsDouble(Call.IO_URING_ENTERS),
                per.applyAsDouble(Call.FUTEXES), covered / 1e9);
    }

    /**
     * Stops perf with SIGTERM (the intervals it printed are in its file already; the one it was in is not
     * needed), SIGKILL if it has not gone within 5 s; deletes its file once read.
     */
    @Override
    public void close() throws InterruptedException {
        if (perf.isAlive()) {
            perf.destroy();
            if (!perf.waitFor(5, TimeUnit.SECONDS)) {
                ChildProcess.kill(perf);
            }
        }
    }
}
