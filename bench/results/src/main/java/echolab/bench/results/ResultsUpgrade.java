package echolab.bench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place that knows what results.json files written by older echo-lab lack: fields added within schema
 * version 2, each with what its absence meant when the file was written. A file is upgraded once, as a tree,
 * before it is read into {@link BenchRun}, so that no renderer asks whether a run predates a field.
 *
 * <ul>
 * <li>{@code serverStats.cpuClock}: absent, the CPU time was read from /proc/PID/stat ({@link CpuClock#TICKS}),
 *     the only clock echo-lab had then. Set here, so every measured trial names its clock.</li>
 * <li>{@code settings.heldTo}: absent, no server was held to a share of a CPU; read as null, which says so.</li>
 * <li>{@code serverStats.systemCalls}, {@code serverStats.virtualThreads}, {@code load.hlog},
 *     {@code load.windowStartEpochMillis}: absent, they were not measured or written; read as null, as a run that
 *     could not measure them writes them.</li>
 * </ul>
 */
final class ResultsUpgrade {

    private ResultsUpgrade() {
    }

    /** {@code run} (a results.json tree of schema version 2) with what its writer lacked set to what its absence meant. */
    static JsonNode apply(JsonNode run) {
        for (JsonNode scenario : run.path("scenarios")) {
            for (JsonNode trial : scenario.path("trials")) {
                if (trial.get("serverStats") instanceof ObjectNode stats && !stats.has("cpuClock")) {
                    stats.put("cpuClock", CpuClock.TICKS.name());
                }
            }
        }
        return run;
    }
}
