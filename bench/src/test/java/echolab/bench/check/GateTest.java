package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import echolab.bench.check.PairedRatio.Verdict;

/** The gate's procedure with a fake measurer (no servers): the round loop, narrowing, verdicts, n/a. */
class GateTest {

    /**
     * Every metric is 100 times a per-server factor for the candidate, with multiplicative noise;
     * servers named in {@code noSummary} never report the counts that come from a stop summary.
     */
    private static final class FakeMeasurer implements Measurer {
        final Map<String, Double> slowdown;
        final Map<String, Double> noise;
        final List<String> noSummary;
        final Map<String, Integer> prepared = new HashMap<>();
        final Map<String, Integer> measured = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(7);

        FakeMeasurer(Map<String, Double> slowdown, Map<String, Double> noise, List<String> noSummary) {
            this.slowdown = slowdown;
            this.noise = noise;
            this.noSummary = noSummary;
        }

        @Override
        public void prepare(String server) {
            prepared.merge(server, 1, Integer::sum);
        }

        @Override
        public Sample measure(String server, Side side) {
            measured.merge(server, 1, Integer::sum);
            Map<Metric, Double> values = new EnumMap<>(Metric.class);
            Map<Metric, String> missing = new EnumMap<>(Metric.class);
            double factor = side == Side.CANDIDATE ? slowdown.getOrDefault(server, 1.0) : 1.0;
            for (Metric m : Metric.values()) {
                if (m.count && noSummary.contains(server)) {
                    missing.put(m, side + " " + server + ": printed no stop summary");
                } else {
                    values.put(m, 100 * factor * (1 + noise.getOrDefault(server, 0.01) * (random.nextDouble() - 0.5)));
                }
            }
            return new Sample(values, missing);
        }
    }

    private static Gate.Outcome run(FakeMeasurer measurer, List<String> servers, int rounds, int cap) throws Exception {
        return new Gate(measurer, servers, rounds, cap, 862, new PrintStream(OutputStream.nullOutputStream())).run();
    }

    @Test
    void anUnchangedCandidatePassesAfterTheFirstRoundsWithoutMore() throws Exception {
        FakeMeasurer m = new FakeMeasurer(Map.of(), Map.of(), List.of());
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        assertEquals(5, o.rounds());
        assertEquals(10, m.measured.get("selector"), "a base and a candidate per round");
        assertEquals(1, m.prepared.get("selector"));
        assertFalse(o.failed());
        assertEquals(0, o.inconclusive());
        o.results().get("selector").values().forEach(r -> assertEquals(Verdict.PASS, r.verdict()));
        assertEquals(Metric.values().length, o.results().get("selector").size());
    }

    @Test
    void aSlowerCandidateFails() throws Exception {
        Gate.Outcome o = run(new FakeMeasurer(Map.of("selector", 1.3), Map.of(), List.of()), List.of("selector"), 5, 15);
        assertTrue(o.failed());
        assertEquals(Verdict.FAIL, o.results().get("selector").get(Metric.CPU_US_PER_MESSAGE).verdict());
    }

    @Test
    void onlyTheServerWithAnOpenQuestionGetsMoreRoundsUpToTheCap() throws Exception {
        // sync: +10% in heavy noise, never settles; selector: clean.
        FakeMeasurer m = new FakeMeasurer(Map.of("sync", 1.10), Map.of("sync", 0.8), List.of());
        Gate.Outcome o = run(m, List.of("sync", "selector"), 5, 9);
        assertEquals(9, o.rounds());
        assertEquals(2 * 5, m.measured.get("selector"), "selector was settled after the first rounds");
        assertEquals(2 * 9, m.measured.get("sync"));
        assertTrue(o.inconclusive() > 0);
        assertEquals(9, o.pairs().get("sync").get(Metric.US_PER_MESSAGE).size());
        assertEquals(5, o.pairs().get("selector").get(Metric.US_PER_MESSAGE).size());
    }

    @Test
    void aMetricAVersionDoesNotReportIsNotApplicableWithItsReasonNotJudged() throws Exception {
        Gate.Outcome o = run(new FakeMeasurer(Map.of(), Map.of(), List.of("selector")), List.of("selector"), 5, 5);
        assertFalse(o.results().get("selector").containsKey(Metric.ALLOC_BYTES_PER_MESSAGE));
        assertFalse(o.results().get("selector").containsKey(Metric.THREADS_STARTED));
        assertTrue(o.notApplicable().get("selector").get(Metric.ALLOC_BYTES_PER_MESSAGE).contains("printed no stop summary"));
        assertTrue(GateReport.table("HEAD~1", "0123456789abcdef", o).contains("| selector | allocBytesPerMessage | | | | | | n/a: "));
        assertFalse(o.failed());
    }
}
