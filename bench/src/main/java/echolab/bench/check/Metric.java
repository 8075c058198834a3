package echolab.bench.check;

/**
 * What the gate compares, each oriented so that higher is worse. Counts that may be zero (bytes
 * allocated, threads started) are compared as (candidate + 1) / (base + 1).
 */
enum Metric {
    US_PER_MESSAGE("usPerMessage", false),
    OPEN_P50_US("openP50Us", false),
    OPEN_P99_US("openP99Us", false),
    CPU_US_PER_MESSAGE("cpuUsPerMessage", false),
    ALLOC_BYTES_PER_MESSAGE("allocBytesPerMessage", true),
    THREADS_STARTED("threadsStarted", true);

    final String key;
    final boolean count;

    Metric(String key, boolean count) {
        this.key = key;
        this.count = count;
    }

    double logRatio(double base, double candidate) {
        return count ? PairedRatio.logRatioOfCounts(base, candidate) : PairedRatio.logRatio(base, candidate);
    }
}
