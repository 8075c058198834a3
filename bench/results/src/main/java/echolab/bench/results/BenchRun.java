package echolab.bench.results;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A bench run as results.json holds it (schema {@value #SCHEMA}, version {@value #SCHEMA_VERSION};
 * results/README.md documents it and results/bench-results.schema.json checks it). Everything a report
 * shows is derived from this record, so a report can be rebuilt from the file alone. What kind of run it is
 * ({@link Kind}) is said by a type: a side-by-side bench run, a connection ladder with its {@link Ladder}, or a
 * search for the rate under a latency target with its {@link Target}; the file keeps them as its {@code ladder}
 * and {@code target} fields, one of them or neither.
 */
public record BenchRun(String schema, int schemaVersion, RunInfo run, Environment environment, Settings settings,
                       List<ServerEntry> servers, List<Scenario> scenarios, @JsonIgnore Kind kind) {

    /** What a run is, with what only that kind of run has. */
    public sealed interface Kind permits SideBySide, Scale, Capacity {
    }

    /** {@code ./echolab bench}: the servers side by side through the scenarios. */
    public record SideBySide() implements Kind {
    }

    /** {@code ./echolab scale}: the connection ladder, and what stopped each server. */
    public record Scale(Ladder ladder) implements Kind {
    }

    /** {@code ./echolab capacity}: the highest rate each server sustained under a latency target. */
    public record Capacity(Target target) implements Kind {
    }

    /** A run as results.json holds it: a {@code ladder}, a {@code target}, or neither, never both. */
    @JsonCreator
    static BenchRun fromFile(@JsonProperty("schema") String schema, @JsonProperty("schemaVersion") int schemaVersion,
                             @JsonProperty("run") RunInfo run, @JsonProperty("environment") Environment environment,
                             @JsonProperty("settings") Settings settings, @JsonProperty("servers") List<ServerEntry> servers,
                             @JsonProperty("scenarios") List<Scenario> scenarios, @JsonProperty("ladder") Ladder ladder,
                             @JsonProperty("target") Target target) {
        if (ladder != null && target != null) {
            throw new IllegalArgumentException("a run has a ladder or a target, not both");
        }
        Kind kind = ladder != null ? new Scale(ladder) : target != null ? new Capacity(target) : new SideBySide();
        return new BenchRun(schema, schemaVersion, run, environment, settings, servers, scenarios, kind);
    }

    /** The ladder of a scale run, as the file holds it (null for another kind). */
    @JsonProperty("ladder")
    Ladder ladderInFile() {
        return kind instanceof Scale s ? s.ladder() : null;
    }

    /** The answers of a capacity run, as the file holds them (null for another kind). */
    @JsonProperty("target")
    Target targetInFile() {
        return kind instanceof Capacity c ? c.target() : null;
    }

    public static final String SCHEMA = "echo-lab/bench-results";
    public static final int SCHEMA_VERSION = 2;

    /** @param command how to reproduce the run, e.g. {@code ./echolab bench --profile default} */
    public record RunInfo(String id, String profile, String command, String startedAt, String finishedAt, boolean complete) {
    }

    /**
     * What the profile asked for; {@code openLoopRate} is fixed during the run (the same for every server).
     * {@code heldTo}: the share of a CPU each server was held to for the main table's rounds (scenario
     * {@code held}); null when they ran on a whole CPU (scenario {@code closed}, as every other point).
     */
    public record Settings(List<Integer> connections, List<Integer> sizes, double warmupSeconds, double durationSeconds,
                           int rounds, int openLoopConnections, double openLoopDurationSeconds, Double openLoopRate,
                           int idleConnections, CpuShare heldTo) {
    }

    /**
     * @param oneAtATime the server serves one connection at a time by design (sync-echo): its starved connections are its model
     * @param skipped why the server was not measured (e.g. no C compiler for the native peer); null when it was
     * @param streamTwin for a line server, the server of the echo of a stream it frames (selector for selector-lines);
     *                   null for any other, and then absent from the JSON
     */
    public record ServerEntry(String name, String kind, boolean oneAtATime, List<String> command, String skipped,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String streamTwin) {

        /** The name as charts and tables label it. */
        public String label() {
            if (oneAtATime) {
                return name + " (serves one connection; the rest starve)";
            }
            return "reference".equals(kind) ? name + " (reference)" : name;
        }
    }

    // ---- views derived from the record, for the writers -------------------------------------------

    public Optional<Scenario> scenario(Scenario.Kind kind) {
        return scenarios.stream().filter(s -> s.kind() == kind).findFirst();
    }

    public Optional<Scenario> reference() {
        return scenarios.stream().filter(Scenario::isReference).findFirst();
    }

    /** The trials of {@code server} in a scenario, in round order. */
    public static List<Trial> trialsOf(Optional<Scenario> scenario, String server) {
        List<Trial> out = new ArrayList<>();
        scenario.ifPresent(s -> s.trials().stream().filter(t -> t.server().equals(server)).forEach(out::add));
        return out;
    }

    /** The first trial of {@code server} in the first scenario of {@code kind}. */
    public Optional<Trial> trial(Scenario.Kind kind, String server) {
        return trialsOf(scenario(kind), server).stream().findFirst();
    }

    /** The ladder's trial at the highest step {@code server} held; empty when it held none or this is not a scale run. */
    public Optional<Trial> ladderTop(String server) {
        int step = kind instanceof Scale s ? s.ladder().of(server).map(Ladder.ServerLadder::highestStepHeld).orElse(0) : 0;
        return scenarios.stream().filter(s -> s.kind() == Scenario.Kind.LADDER && s.connections() == step)
                .flatMap(s -> s.trials().stream()).filter(t -> t.server().equals(server)).findFirst();
    }

    /** The trial that confirmed {@code server}'s rate under the latency target; empty when it has none. */
    public Optional<Trial> targetAnswer(String server) {
        Double rate = kind instanceof Capacity c ? c.target().of(server).map(Target.Answer::rate).orElse(null) : null;
        return scenarios.stream().filter(s -> s.kind() == Scenario.Kind.TARGET).flatMap(s -> s.trials().stream())
                .filter(t -> t.server().equals(server) && rate != null
                        && t.point().filter(p -> p.meets() && p.rate() == rate).isPresent())
                .reduce((first, last) -> last);
    }

    /**
     * The scenario the main table reads: the reference point measured with each server held to a share of a CPU
     * ({@link Settings#heldTo}) where the run held them, else the reference point itself.
     */
    public Optional<Scenario> mainRounds() {
        return scenario(Scenario.Kind.HELD).or(this::reference);
    }

    /** How the main table's rounds held each server, e.g. ", each server held to 50% of a CPU (5 ms of every 10 ms)"; empty on a whole CPU. */
    public String heldText() {
        return settings.heldTo() == null ? "" : ", each server held to " + settings.heldTo().describe();
    }

    /** Every measured round of the main table's scenario ({@link #mainRounds}) for {@code server}. */
    public List<Trial> referenceRounds(String server) {
        return trialsOf(mainRounds(), server).stream().filter(Trial::measured).toList();
    }

    /** The round with the median throughput of the main table's scenario: its figures go in the main table. */
    public Optional<Trial> medianReference(String server) {
        return median(referenceRounds(server)).or(() -> trialsOf(mainRounds(), server).stream().findFirst());
    }

    /** The round of median throughput among {@code rounds}; empty when there is none. */
    static Optional<Trial> median(List<Trial> rounds) {
        if (rounds.isEmpty()) {
            return Optional.empty();
        }
        List<Trial> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Trial::throughput));
        return Optional.of(sorted.get((sorted.size() - 1) / 2));
    }

    /** The median throughput of the main table's scenario for {@code server} when it was measured without fault, else null. */
    public Double referenceThroughput(String server) {
        return medianReference(server).filter(t -> t.status() == Trial.Status.OK).map(Trial::throughput).orElse(null);
    }

    /** Half the closed-loop throughput of the slowest concurrent server at the reference point, on a whole CPU; 0 when none. */
    public double derivedOpenLoopRate() {
        return servers.stream().filter(s -> !s.oneAtATime())
                .map(s -> median(trialsOf(reference(), s.name()).stream().filter(Trial::measured).toList())
                        .filter(t -> t.status() == Trial.Status.OK).map(Trial::throughput).orElse(null))
                .filter(t -> t != null && t > 0)
                .mapToDouble(Double::doubleValue).min().stream().map(t -> Math.floor(t / 2)).findFirst().orElse(0);
    }
}
