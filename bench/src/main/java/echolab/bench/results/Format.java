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

    /** Seconds as "47s" or "3m22s". */
    public static String seconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
