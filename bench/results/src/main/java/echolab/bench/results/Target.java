package echolab.bench.results;

import java.util.List;
import java.util.Optional;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LatencySummary.Percentile;

/**
 * The search for the rate under a latency target's part of a run ({@code ./echolab capacity}): what it
 * looked for and, per server, the answer. Every trial of every search is in the scenario
 * {@code target-cN-sS}, with its {@link Trial.SearchPoint}.
 */
public record Target(Settings settings, List<Answer> servers) {

    /**
     * @param percentile the percentile held to the target (of the corrected latency, from the planned send)
     * @param targetMicros the latency it must stay at or under
     * @param precision the search stops when the highest rate that met the target and the lowest that did not
     *                  are within this fraction of each other
     * @param startRate the first rate tried; the search doubles it while the target is met
     */
    public record Settings(Percentile percentile, double targetMicros, int connections, int size, double precision,
                           double warmupSeconds, double durationSeconds, double startRate) {
    }

    /**
     * @param rate the highest rate that met the target and met it again when confirmed; null when none did
     * @param generatorLimited the generator could not go faster: the server's rate is at least {@code rate}
     * @param why in words, when there is no rate or it is only a lower bound
     * @param latencyMicros the confirming trial's latency
     */
    public record Answer(String server, Double rate, boolean generatorLimited, String why, LatencySummary latencyMicros) {
    }

    public Optional<Answer> of(String server) {
        return servers.stream().filter(a -> a.server().equals(server)).findFirst();
    }
}
