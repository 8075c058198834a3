package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a process from /proc: RSS, threads and open files as of now; the peak RSS since the
 * process started or since its peak was last reset ({@link #resetPeakRss}); CPU ticks, CPU nanoseconds
 * (from its cgroup, see {@link CpuCgroup}), {@code io} and {@code switches} as counters. {@code cpuNanos}
 * and {@code openFiles} are -1, {@code io} or {@code switches} null, when they could not be read.
 */
public record ProcReading(long nanos, long rssKiB, long peakRssKiB, int threads, long cpuTicks, long cpuNanos, int openFiles,
                          Io io, Switches switches) {

    /** Context switches are summed only while the process has at most this many threads, so that reading stays cheap. */
    static final int MAX_THREADS_FOR_SWITCHES = 256;

    ProcReading(long nanos, long rssKiB, int threads, long cpuTicks, long cpuNanos, int openFiles) {
        this(nanos, rssKiB, rssKiB, threads, cpuTicks, cpuNanos, openFiles, null, null);
    }

    /**
     * /proc/PID/io: read and write system calls ({@code syscr}, {@code syscw}) and the bytes through them
     * ({@code rchar}, {@code wchar}), over all the process's threads, those that ended included. Counts
     * read, readv, write and writev, which the JDK's sockets use; not recv, send and their kin (Netty's
     * native transport uses those, and shows none), nor epoll_wait, accept or futex.
     */
    public record Io(long readCalls, long writeCalls, long bytesRead, long bytesWritten) {

        /** Both added up; null when either is unknown. */
        public static Io plus(Io a, Io b) {
            return a == null || b == null ? null
                    : new Io(a.readCalls + b.readCalls, a.writeCalls + b.writeCalls, a.bytesRead + b.bytesRead, a.bytesWritten + b.bytesWritten);
        }
    }

    /**
     * Context switches summed over the process's live threads (/proc/PID/task/TID/status): voluntary (the
     * thread blocked: a read with nothing to read, a lock) and involuntary (the scheduler took the core).
     * Threads that ended are not in the sum.
     */
    public record Switches(long voluntary, long involuntary) {

        /** Both added up; null when either is unknown. */
        public static Switches plus(Switches a, Switches b) {
            return a == null || b == null ? null : new Switches(a.voluntary + b.voluntary, a.involuntary + b.involuntary);
        }
    }

    /**
     * Reads /proc/PID/status, stat, io, fd and (with few threads) task/TID/status now, and the CPU time of
     * {@code cgroup} when there is one; null if the process is gone.
     */
    public static ProcReading of(long pid, CpuCgroup cgroup) {
        try {
            Path proc = Path.of("/proc/" + pid);
            long rss = 0;
            long peakRss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = number(line);
                } else if (line.startsWith("VmHWM:")) {
                    peakRss = number(line);
                } else if (line.startsWith("Threads:")) {
                    threads = (int) number(line);
                }
            }
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime + stime
            String[] fds = proc.resolve("fd").toFile().list();
            return new ProcReading(System.nanoTime(), rss, Math.max(rss, peakRss), threads, ticks, cgroup == null ? -1 : cgroup.nanos(), fds == null ? -1 : fds.length, readIo(proc),
                    threads <= MAX_THREADS_FOR_SWITCHES ? readSwitches(proc) : null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Resets the process's peak RSS (VmHWM) to its RSS now, so that a later reading's {@code peakRssKiB} is the
     * peak since this call (Linux's {@code /proc/PID/clear_refs}, value 5); false when the kernel refused.
     */
    public static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;                                  // not ours to reset, or gone
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
}
