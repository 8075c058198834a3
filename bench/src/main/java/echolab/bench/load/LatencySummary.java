package echolab.bench.load;

import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds, from an HdrHistogram of nanoseconds. */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double p9999,
                             double max) {

    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(h.getTotalCount(), h.getMean() / 1e3,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e3);
    }

    /** The percentile by its name in reports: p50, p90, p99, p999, p9999, max; null for an empty summary. */
    public Double at(String percentile) {
        if (count == 0) {
            return null;
        }
        return switch (percentile) {
            case "p50" -> p50;
            case "p90" -> p90;
            case "p99" -> p99;
            case "p999" -> p999;
            case "p9999" -> p9999;
            case "max" -> max;
            default -> throw new IllegalArgumentException("no percentile " + percentile);
        };
    }
}
