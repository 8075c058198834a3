package echolab.bench.results;

/**
 * The units the figures are in, each with its one way of being written, so that every table, chart and
 * page writes a figure of a unit alike. An unknown value is written as nothing.
 */
public enum Unit {
    /** Messages per second, whole, with thousands separators. */
    RATE("msg/s", "%,.0f"),
    /** A latency in microseconds; from 10 ms on, in milliseconds. */
    LATENCY("µs", null),
    /** Server CPU time per message, in microseconds, to a tenth. */
    CPU_PER_MESSAGE("µs", "%.1f"),
    /** Kibibytes, to a tenth, with the unit. */
    KIB("KiB", "%.1f KiB"),
    /** A count. */
    COUNT("", "%.0f"),
    /** Threads per held connection, to a thousandth. */
    THREADS_PER_CONNECTION("", "%.3f"),
    /** System calls per message, to a hundredth. */
    CALLS_PER_MESSAGE("", "%.2f"),
    /** Bytes per message, to a tenth. */
    BYTES_PER_MESSAGE("B", "%.1f"),
    /** Context switches per message, to a thousandth. */
    SWITCHES_PER_MESSAGE("", "%.3f");

    /** What a reader sees after the number where a table does not say it in its header. */
    public final String symbol;
    private final String pattern;

    Unit(String symbol, String pattern) {
        this.symbol = symbol;
        this.pattern = pattern;
    }

    /** {@code value} written in this unit; empty for a missing value. */
    public String format(Double value) {
        if (value == null) {
            return "";
        }
        if (this == LATENCY) {
            return value >= 10_000 ? String.format("%.1f ms", value / 1000) : String.format("%.0f", value);
        }
        return String.format(pattern, value);
    }

    /** {@code value} with this unit's symbol after it, where the number does not already carry one (KiB, ms). */
    public String withSymbol(Double value) {
        String n = format(value);
        return n.isEmpty() || symbol.isEmpty() || n.endsWith(symbol) || n.endsWith(" ms") ? n : n + " " + symbol;
    }
}
