package echolab.bench.results;

/**
 * The units the figures are in, each with its one way of being written, so that every table, chart and
 * page writes a figure of a unit alike. An unknown value is written as nothing.
 */
public enum Unit {
    /** Messages per second, whole, with thousands separators. */
    RATE("msg/s", "msg/s", "%,.0f"),
    /** A latency in microseconds; from 10 ms on, in milliseconds. */
    LATENCY("µs", "µs", null),
    /** Server CPU time per message, in microseconds, to a tenth. */
    CPU_PER_MESSAGE("µs", "µs/msg", "%.1f"),
    /** Kibibytes, to a tenth, with the unit. */
    KIB("KiB", "KiB", "%.1f KiB"),
    /** A count. */
    COUNT("", "count", "%.0f"),
    /** Threads per held connection, to a thousandth. */
    THREADS_PER_CONNECTION("", "threads/conn", "%.3f"),
    /** System calls per message, to a hundredth. */
    CALLS_PER_MESSAGE("", "calls/msg", "%.2f"),
    /** Bytes per message, to a tenth. */
    BYTES_PER_MESSAGE("B", "B/msg", "%.1f"),
    /** Context switches per message, to a thousandth. */
    SWITCHES_PER_MESSAGE("", "switches/msg", "%.3f"),
    /** A number of threads averaged over readings, to a tenth. */
    MEAN_THREADS("", "threads", "%.1f");

    /** What a reader sees after the number where a table does not say it in its header. */
    public final String symbol;
    /** The unit named in full, for a reader that sees the number alone (a CI system's chart): "calls/msg". */
    public final String label;
    private final String pattern;

    Unit(String symbol, String label, String pattern) {
        this.symbol = symbol;
        this.label = label;
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
