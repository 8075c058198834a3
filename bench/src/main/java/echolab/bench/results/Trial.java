package echolab.bench.results;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.load.LoadReport;

/**
 * One server measured once in one scenario: the generator's report, the server's figures from /proc,
 * and what only some scenarios have (idle-connection scale, the generator's capacity, histograms).
 *
 * @param hgrm the corrected latency histogram's file, relative to the run's folder
 * @param spectrum (percentile, microseconds) pairs of the corrected latency, open loop only
 */
public record Trial(String server, int round, Status status, String error, LoadReport load, ServerStats serverStats,
                    ScaleStats scale, CapacityStats capacity, String hgrm, String hgrmUncorrected,
                    List<double[]> spectrum, List<double[]> spectrumUncorrected) {

    public enum Status {
        @JsonProperty("ok") OK,
        /** The only problem: connections the server never answered (sync-echo's model). */
        @JsonProperty("starved") STARVED,
        @JsonProperty("failed") FAILED;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * From /proc of the server process over the measured window.
     *
     * @param acceptedConnections connections the server held open during the window beyond those it had before
     *                            (open descriptors); null where it could not be read
     * @param perMessage what the kernel counted for the server per message echoed in the window; null where
     *                   nothing was echoed (and in runs measured before it was recorded)
     * @param cpuClock the clock {@code cpuSeconds} was read with; null in runs measured before it was recorded
     */
    public record ServerStats(long peakRssKiB, int peakThreads, double cpuSeconds, Double cpuMicrosPerMessage,
                              Integer acceptedConnections, KernelCounts perMessage, CpuClock cpuClock) {
    }

    /**
     * Per message: read and write system calls and the bytes through them (/proc/PID/io, all threads), and
     * context switches summed over the server's threads (/proc/PID/task). Each null when it could not be
     * read (switches are not read from a server with more than 256 threads).
     */
    public record KernelCounts(Double readCalls, Double writeCalls, Double bytesRead, Double bytesWritten,
                               Double voluntarySwitches, Double involuntarySwitches) {
    }

    public record ScaleStats(int idleRequested, int idleOpened, int idleAcceptedByServer, long rssBaselineKiB,
                             long rssWithIdleKiB, Double rssPerIdleConnectionKiB, int threadsBaseline, int threadsWithIdle,
                             Double threadsPerIdleConnection, String openError) {
    }

    public record CapacityStats(double generatorMessagesPerSecond, double generatorBusiestThreadLoad,
                                double nativeClientMessagesPerSecond, double generatorToNativeClient) {
    }

    public boolean measured() {
        return status != Status.FAILED && load != null;
    }

    public double throughput() {
        return load == null ? 0 : load.messagesPerSecond();
    }

    /** Corrected latency at a percentile, or null when nothing was measured. */
    public Double latency(Percentile percentile) {
        return load == null || load.latencyMicros() == null ? null : load.latencyMicros().at(percentile);
    }

    public Double uncorrectedLatency(Percentile percentile) {
        LatencySummary l = load == null ? null : load.uncorrectedLatencyMicros();
        return l == null ? null : l.at(percentile);
    }

    public boolean generatorBound() {
        return load != null && load.generator().generatorBound();
    }

    public static Trial failed(String server, int round, String error) {
        return new Trial(server, round, Status.FAILED, error, null, null, null, null, null, null, null, null);
    }
}
