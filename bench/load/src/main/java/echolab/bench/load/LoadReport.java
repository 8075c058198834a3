package echolab.bench.load;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one load-generator run measured, as plain data: what {@code --json} writes and results.json
 * embeds. Latencies in microseconds.
 *
 * @param rampUpSeconds how long it took until every connection had been echoed once (or the ramp-up gave up)
 * @param answeredInRampUp connections echoed once before the warm-up began
 * @param starvedConnections opened, but not one message answered during the whole run
 * @param starvedInWindow answered before the measured window, but not once inside it
 * @param windowStartEpochMillis when the measured window began, on this machine's wall clock
 * @param terminator for a line server, the bytes each message ended with, spelled with escapes ({@code \n}); null
 *                   for the echo of a stream, and then absent from the JSON
 * @param hlog the HdrHistogram interval log of the window's latencies, when one was written (as given)
 */
public record LoadReport(
        String mode,
        String host,
        int port,
        int connectionsRequested,
        long connectionsOpened,
        int messageSize,
        int pipeline,
        @JsonInclude(JsonInclude.Include.NON_NULL) String terminator,
        double warmupSeconds,
        double seconds,
        long messages,
        double messagesPerSecond,
        double mibPerSecond,
        Double targetRate,
        Double achievedRate,
        LatencySummary latencyMicros,
        LatencySummary uncorrectedLatencyMicros,
        Errors errors,
        double rampUpSeconds,
        long answeredInRampUp,
        long starvedConnections,
        long starvedInWindow,
        long timedOutConnections,
        Generator generator,
        Long windowStartEpochMillis,
        String hlog) {

    public record Errors(long total, long connectFailures, long mismatches, long shortReads, long unexpectedCloses,
                         long resets, long unansweredMessages, String first) {
    }

    /**
     * The generator checking itself: CPU used, and whether it, not the server, was the bottleneck. Open loop
     * only, {@code sendLagMicros}: how late it sent the messages planned in the window beyond any wait for the
     * server (a message whose connection had its answer by the planned time counts from the planned time,
     * else from the answer): a generator that cannot keep its schedule shows here, whatever its CPU reads.
     */
    public record Generator(int threads, double busiestThreadLoad, double processCpuSeconds, double wallSeconds,
                            double allocatedBytesPerMessage, boolean generatorBound, LatencySummary sendLagMicros) {
    }

    /** This report, naming the interval log its latencies were also written to. */
    public LoadReport withHlog(String path) {
        return new LoadReport(mode, host, port, connectionsRequested, connectionsOpened, messageSize, pipeline, terminator, warmupSeconds,
                seconds, messages, messagesPerSecond, mibPerSecond, targetRate, achievedRate, latencyMicros,
                uncorrectedLatencyMicros, errors, rampUpSeconds, answeredInRampUp, starvedConnections, starvedInWindow,
                timedOutConnections, generator, windowStartEpochMillis, path);
    }

    /** No errors, and every connection asked for was opened. */
    public boolean ok() {
        return errors.total() == 0 && connectionsOpened == connectionsRequested;
    }

    /**
     * Whether the latencies sit at Linux's delayed-ACK timer (40 ms, and a little more: p50 from 38 to 50 ms,
     * p90 under 60 ms) rather than spread as a server's queueing spreads them: the mark of a reply written in
     * pieces with Nagle's algorithm on, each piece after the first held until the client's delayed ACK.
     */
    public boolean atDelayedAckTimer() {
        return messages > 0 && latencyMicros.p50() >= 38_000 && latencyMicros.p50() <= 50_000 && latencyMicros.p90() < 60_000;
    }

    public boolean openLoop() {
        return targetRate != null;
    }

    /** The human-readable summary. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%s loop, %d connections (%d opened), %d B messages%s, pipeline %d, %.1f s measured%n",
                mode, connectionsRequested, connectionsOpened, messageSize,
                terminator == null ? "" : " ending in " + terminator, pipeline, seconds));
        s.append(String.format("  ramp-up     %d of %d connections echoed once in %.2f s%n",
                answeredInRampUp, connectionsOpened, rampUpSeconds));
        if (targetRate != null) {
            s.append(String.format("  rate        target %,.0f msg/s, achieved %,.0f msg/s (%.1f%%)%n",
                    targetRate, achievedRate, 100 * achievedRate / targetRate));
        }
        s.append(String.format("  throughput  %,.0f msg/s, %.2f MiB/s, %,d messages%n", messagesPerSecond, mibPerSecond, messages));
        s.append(line(targetRate != null ? "latency (from planned send, corrected)" : "latency", latencyMicros));
        if (uncorrectedLatencyMicros != null) {
            s.append(line("latency (from actual send, uncorrected)", uncorrectedLatencyMicros));
        }
        if (atDelayedAckTimer()) {
            s.append("  note        every percentile sits near 40 ms, the delayed-ACK timer: most likely the server writes a reply\n"
                    + "              in pieces with Nagle's algorithm on (no TCP_NODELAY), and each piece after the first waits\n"
                    + "              for this client's delayed acknowledgement\n");
        }
        s.append(String.format("  errors      %d (mismatches %d, short reads %d, server closes %d, resets %d, connect failures %d)%n",
                errors.total(), errors.mismatches(), errors.shortReads(), errors.unexpectedCloses(), errors.resets(),
                errors.connectFailures()));
        if (starvedConnections > 0 || starvedInWindow > 0 || timedOutConnections > 0) {
            s.append(String.format("  starved     %d connections never got a response, %d got none in the measured window; "
                    + "%d timed out (%d messages unanswered)%n", starvedConnections, starvedInWindow, timedOutConnections,
                    errors.unansweredMessages()));
        }
        if (errors.first() != null) {
            s.append("  first error ").append(errors.first()).append(System.lineSeparator());
        }
        s.append(String.format("  generator   busiest thread %.0f%% busy, %.2f CPU-s over %.2f s, %.2f bytes allocated per message%s%n",
                100 * generator.busiestThreadLoad(), generator.processCpuSeconds(), generator.wallSeconds(),
                generator.allocatedBytesPerMessage(),
                generator.generatorBound() ? "  ** GENERATOR-BOUND: the generator, not the server, was the limit **" : ""));
        if (generator.sendLagMicros() != null && generator.sendLagMicros().count() > 0) {
            s.append(String.format("  send lag    the generator's own lateness (us): p50 %.1f  p99 %.1f  max %.1f%n",
                    generator.sendLagMicros().p50(), generator.sendLagMicros().p99(), generator.sendLagMicros().max()));
        }
        return s.toString();
    }

    private static String line(String label, LatencySummary l) {
        return String.format("  %s (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  p99.99 %.1f  max %.1f%n",
                label, l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max());
    }
}
