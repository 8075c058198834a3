package echolab.bench.results;

/**
 * The share of one CPU a server is held to while the main table's rounds measure it: the kernel's CFS
 * bandwidth control gives its cgroup {@code percent}% of each {@code periodMicros} and stops it for the rest.
 * Held below what the load generator can drive, every server is measured at its own saturation, never at the
 * generator's; a server stopped for the rest of a period makes its messages wait up to that long.
 */
public record CpuShare(int percent, int periodMicros) {

    /** The kernel's smallest quota, in microseconds. */
    public static final int MIN_QUOTA_MICROS = 1_000;

    /** The period the bench uses: short enough that a stop is a few ms, long enough that the quota is spent whole. */
    public static final int PERIOD_MICROS = 10_000;

    public CpuShare {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("a share of a CPU is 1 to 99 percent, not " + percent);
        }
        if (quotaMicros(percent, periodMicros) < MIN_QUOTA_MICROS) {
            throw new IllegalArgumentException(percent + "% of " + periodMicros + " us is under the kernel's smallest quota, "
                    + MIN_QUOTA_MICROS + " us");
        }
    }

    /** {@code percent}% of one CPU, over the bench's period. */
    public static CpuShare of(int percent) {
        return new CpuShare(percent, PERIOD_MICROS);
    }

    /** The CPU time the server may use in each period. */
    public int quotaMicros() {
        return quotaMicros(percent, periodMicros);
    }

    private static int quotaMicros(int percent, int periodMicros) {
        return (int) ((long) periodMicros * percent / 100);
    }

    /** e.g. "50% of a CPU (5 ms of every 10 ms)". */
    public String describe() {
        return String.format("%d%% of a CPU (%s ms of every %s ms)", percent, millis(quotaMicros()), millis(periodMicros));
    }

    private static String millis(int micros) {
        return java.math.BigDecimal.valueOf(micros, 3).stripTrailingZeros().toPlainString();
    }
}
