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

    /** The percentiles a summary keeps, as the reports name them. */
    public enum Percentile { P50, P90, P99, P999, P9999, MAX }

    /** One percentile; null for an empty summary. */
    public Double at(Percentile percentile) {
        if (count == 0) {
            return null;
        }
        return switch (percentile) {
            case P50 -> p50;
            case P90 -> p90;
            case P99 -> p99;
            case P999 -> p999;
            case P9999 -> p9999;
            case MAX -> max;
        };
    }
}
