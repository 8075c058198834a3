package echolab.bench.results;

/** How the reports write numbers: one place, so every table reads alike. */
public final class Format {

    private Format() {
    }

    /** Microseconds, or milliseconds from 10 ms on; empty for a missing value. */
    public static String micros(Double us) {
        return Unit.LATENCY.format(us);
    }

    /** {@code String.format(format, value)}, empty for a missing value. */
    public static String number(Number value, String format) {
        return value == null ? "" : String.format(format, value.doubleValue());
    }

    /** value / reference as "1.08x", empty when either is missing or zero. */
    public static String ratio(double value, Double reference) {
        return reference == null || reference == 0 || value == 0 ? "" : String.format("%.2fx", value / reference);
    }

    /** A message size: "64 B", "4 KiB", "1 MiB" where it divides evenly, else bytes ("8,193 B"). */
    public static String bytes(int n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        return n >= 1024 && n % 1024 == 0 ? (n >> 10) + " KiB" : String.format("%,d B", n);
    }

    /** Seconds as "47s" or "3m22s". */
    public static String seconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
