package echolab.bench.results;

/** The clock a server's CPU time was read with; results.json keeps the name, the reports say the label. */
public enum CpuClock {
    /** The server's own cgroup: {@code cpuacct.usage}, in nanoseconds, every thread included. */
    CGROUP("cgroup cpuacct.usage, ns"),
    /** {@code /proc/PID/stat}: user and system time in the kernel's ticks of 10 ms. */
    TICKS("/proc/PID/stat, 10 ms ticks");

    public final String label;

    CpuClock(String label) {
        this.label = label;
    }
}
