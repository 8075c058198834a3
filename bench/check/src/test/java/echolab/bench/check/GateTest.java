package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import echolab.bench.check.Gate.GateVerdict;
import echolab.bench.check.Gate.Status;
import echolab.bench.check.Measurer.Side;

/**
 * The gate's procedure with a fake measurer (no servers): the round loop, narrowing to the servers with
 * an open question, early stopping, confirmation of a FAIL, NOISY, n/a, and the exit codes.
 */
class GateTest {

    /**
     * Every metric is 100 for the base; the candidate is {@code factor} times that for the metrics given.
     * Noise is multiplicative, uniform, of the given width per server (primary metrics) or 1% (the rest);
     * servers named in {@code noSummary} never report the counts that come from a stop summary.
     */
    private static final class FakeMeasurer implements Measurer {
        final Map<String, Map<Metric, Double>> slowdown = new HashMap<>();
        final Map<String, Double> primaryNoise = new HashMap<>();
        final Map<Metric, Double> metricNoise = new EnumMap<>(Metric.class);
        List<String> noSummary = List.of();
        IntPredicate slowInCall = call -> true;            // which candidate measurements (1, 2, ...) are slowed
        final Map<String, Integer> prepared = new HashMap<>();
        final Map<String, Integer> measured = new HashMap<>();
        final Map<String, Integer> candidateCalls = new HashMap<>();
        final Map<String, Integer> openLoops = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(7);
        long nanos;                                         // the fake clock: 3 s per probe, 10 s per round of a server

        long now() {
            return nanos;
        }

        FakeMeasurer slow(String server, Metric metric, double factor) {
            slowdown.computeIfAbsent(server, k -> new EnumMap<>(Metric.class)).put(metric, factor);
            return this;
        }

        FakeMeasurer noise(String server, double width) {
            primaryNoise.put(server, width);
            return this;
        }

        @Override
        public String cpuClock() {
            return "the fake's";
        }

        @Override
        public void prepare(String server) {
            nanos += 3_000_000_000L;
            prepared.merge(server, 1, Integer::sum);
        }

        @Override
        public MetricValues[] measureRound(String server, Random order, boolean openLoop) {
            nanos += 10_000_000_000L;
            measured.merge(server, 2, Integer::sum);
            if (openLoop) {
                openLoops.merge(server, 1, Integer::sum);
            }
            return new MetricValues[] {sample(server, Side.BASE, openLoop), sample(server, Side.CANDIDATE, openLoop)};
        }

        private MetricValues sample(String server, Side side, boolean openLoop) {
            int call = side == Side.CANDIDATE ? candidateCalls.merge(server, 1, Integer::sum) : 0;
            Map<Metric, Double> values = new EnumMap<>(Metric.class);
            Map<Metric, String> missing = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                double factor = side == Side.CANDIDATE && slowInCall.test(call)
                        ? slowdown.getOrDefault(server, Map.of()).getOrDefault(m, 1.0) : 1.0;
                double width = metricNoise.getOrDefault(m, m.role == Metric.Role.PRIMARY ? primaryNoise.getOrDefault(server, 0.01) : 0.01);
                if ((m == Metric.ALLOC_BYTES_PER_MESSAGE || m == Metric.THREADS_STARTED) && noSummary.contains(server)) {
                    missing.put(m, side + " " + server + ": printed no stop summary");
                } else if (m.role.steers() || openLoop) {
                    values.put(m, 100 * factor * (1 + width * (random.nextDouble() - 0.5)));
                }
            }
            return new MetricValues(values, missing);
        }
    }

    private static Gate.Outcome run(FakeMeasurer measurer, List<String> servers, int rounds, int cap) throws Exception {
        return run(measurer, servers, rounds, cap, Duration.ofHours(1));
    }

    private static Gate.Outcome run(FakeMeasurer measurer, List<String> servers, int rounds, int cap, Duration budget) throws Exception {
        return new Gate(measurer, servers, new Gate.Plan(rounds, cap, 0.05, new Budget(budget, measurer::now)), 862, true,
                new PrintStream(OutputStream.nullOutputStream())).run();
    }

    @Test
    void anUnchangedCandidatePassesAfterTheFirstRoundsWithoutMore() throws Exception {
        FakeMeasurer m = new FakeMeasurer();
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        assertEquals(5, o.rounds());
        assertEquals(10, m.measured.get("selector"), "a base and a candidate per round");
        assertEquals(1, m.prepared.get("selector"));
        assertEquals(GateVerdict.PASS, o.verdict());
        assertEquals(0, o.verdict().exitCode());
        o.judged().forEach(r -> assertEquals(r.metric().role.steers() ? Status.PASS : Status.REPORTED, r.status(), r.metric().key));
        assertEquals(Metric.values().length, o.judged().stream().filter(r -> r.server().equals("selector")).count());
        assertTrue(GateReport.headline(o).startsWith("**Gate: PASS**: no regression larger than "), GateReport.headline(o));
    }

    @Test
    void aSlowerCandidateFailsOnlyAfterItsFailureIsConfirmed() throws Exception {
        FakeMeasurer m = new FakeMeasurer().slow("selector", Metric.CPU_US_PER_MESSAGE, 1.3);
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        Gate.Judgement cpu = o.judgement("selector", Metric.CPU_US_PER_MESSAGE);
        assertEquals(Status.FAIL, cpu.status());
        assertEquals(5, cpu.failedFirstAt());
        assertEquals(5 + Gate.CONFIRM_ROUNDS, cpu.confirmedAt());
        assertEquals(5 + Gate.CONFIRM_ROUNDS, o.rounds());
        assertEquals(GateVerdict.FAIL, o.verdict());
        assertEquals(1, o.verdict().exitCode());
        assertEquals(Status.PASS, o.judgement("selector", Metric.US_PER_MESSAGE).status());
    }

    /** Time and CPU fail on a slowdown below 5% once their interval excludes none; a count needs a clear 5%. */
    @Test
    void aFourPercentSlowdownFailsOnCpuWhileThreePercentMoreOfACountDoesNot() throws Exception {
        FakeMeasurer m = new FakeMeasurer().slow("selector", Metric.CPU_US_PER_MESSAGE, 1.04)
                .slow("selector", Metric.ALLOC_BYTES_PER_MESSAGE, 1.03);
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        assertEquals(Status.FAIL, o.judgement("selector", Metric.CPU_US_PER_MESSAGE).status());
        assertEquals(Status.PASS, o.judgement("selector", Metric.ALLOC_BYTES_PER_MESSAGE).status());
        assertEquals(GateVerdict.FAIL, o.verdict());
    }

    /**
     * A slower server echoes fewer messages in its window, so the run's own allocation spreads over fewer of them: 10%
     * more bytes a message that follow 10% more time are not an allocation; an object of 16 B more per echo is.
     */
    @Test
    void allocationThatFollowsTheTimeIsNotAFailButAnObjectPerEchoIs() throws Exception {
        FakeMeasurer slower = new FakeMeasurer().slow("selector", Metric.CPU_US_PER_MESSAGE, 1.10)
                .slow("selector", Metric.US_PER_MESSAGE, 1.10).slow("selector", Metric.ALLOC_BYTES_PER_MESSAGE, 1.10);
        assertEquals(Status.PASS, run(slower, List.of("selector"), 5, 15).judgement("selector", Metric.ALLOC_BYTES_PER_MESSAGE).status());
        FakeMeasurer object = new FakeMeasurer().slow("selector", Metric.ALLOC_BYTES_PER_MESSAGE, 1.16);
        Gate.Outcome o = run(object, List.of("selector"), 5, 15);
        assertEquals(Status.FAIL, o.judgement("selector", Metric.ALLOC_BYTES_PER_MESSAGE).status(), "16 B more on 100 B per message");
        assertEquals(GateVerdict.FAIL, o.verdict());
    }

    @Test
    void aFailureThatDoesNotHoldInTheConfirmingRoundsIsNotAFail() throws Exception {
        FakeMeasurer m = new FakeMeasurer().slow("selector", Metric.CPU_US_PER_MESSAGE, 1.3);
        m.slowInCall = call -> call <= 5;                 // slow in the first five rounds only: a disturbance
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        Gate.Judgement cpu = o.judgement("selector", Metric.CPU_US_PER_MESSAGE);
        assertEquals(5, cpu.failedFirstAt(), "the screening saw it");
        assertEquals(0, cpu.confirmedAt());
        assertFalse(o.failed());
        assertTrue(o.rounds() > 5 + Gate.CONFIRM_ROUNDS - 1);
    }

    @Test
    void anExtraSystemCallPerEchoFailsOnItsCounterInTheFirstRounds() throws Exception {
        FakeMeasurer m = new FakeMeasurer().slow("selector", Metric.WRITE_CALLS_PER_MESSAGE, 2.0);
        Gate.Outcome o = run(m, List.of("selector"), 5, 15);
        Gate.Judgement calls = o.judgement("selector", Metric.WRITE_CALLS_PER_MESSAGE);
        assertEquals(Status.FAIL, calls.status());
        assertEquals(5, calls.failedFirstAt());
        assertTrue(GateReport.headline(o).contains("**Gate: FAIL**: a regression, confirmed, in selector writeCallsPerMessage (+"),
                GateReport.headline(o));
    }

    @Test
    void onlyTheServerWithAnOpenQuestionGetsMoreRoundsAndStopsOnceSettled() throws Exception {
        // sync: noisy enough that 5 rounds cannot settle it, quiet enough that a few more can; selector: clean.
        FakeMeasurer m = new FakeMeasurer().noise("sync", 0.15);
        Gate.Outcome o = run(m, List.of("sync", "selector"), 5, 30);
        assertEquals(2 * 5, m.measured.get("selector"), "selector was settled after the first rounds");
        int syncRounds = m.measured.get("sync") / 2;
        assertTrue(syncRounds > 5 && syncRounds < 30, "sync stopped early, once settled, after " + syncRounds);
        assertEquals(syncRounds, o.rounds());
        assertEquals(Status.PASS, o.judgement("sync", Metric.CPU_US_PER_MESSAGE).status());
        assertTrue(o.judgement("sync", Metric.CPU_US_PER_MESSAGE).bound() < 0.05, "settled: it rules out the target");
        assertEquals(5, o.row("selector", Metric.US_PER_MESSAGE).orElseThrow().pairs().size());
    }

    @Test
    void aRunTooNoisyToRuleOutTenPercentIsNoisyAndStopsWhenTheBudgetHasNoRoomForARound() throws Exception {
        FakeMeasurer m = new FakeMeasurer().noise("selector", 1.5);
        Gate.Outcome o = run(m, List.of("selector"), 5, 100, Duration.ofMinutes(5));
        assertEquals(GateVerdict.NOISY, o.verdict());
        assertEquals(3, o.verdict().exitCode());
        assertEquals(29, o.rounds(), "3 s of probe, then rounds of 10 s while one fits in 300 s");
        assertTrue(o.elapsed().compareTo(Duration.ofMinutes(5)) <= 0, "never later than the budget: " + o.elapsed());
        assertEquals(List.of("selector"), o.budgetCut());
        assertTrue(GateReport.headline(o).contains("**Gate: NOISY**"), GateReport.headline(o));
        assertTrue(GateReport.table("HEAD~1", "0123456789abcdef", o).contains("| selector | cpuUsPerMessage |"));
    }

    /** Ruling out 7% instead of 5% when the budget ends is a PASS that says so, and how much more would reach 5%. */
    @Test
    void aBudgetThatEndsAboveTheTargetButBelowTenPercentPassesNamingTheBoundAndWhatWouldReachTheTarget() throws Exception {
        FakeMeasurer m = new FakeMeasurer().noise("selector", 0.08);
        Gate.Outcome o = run(m, List.of("selector"), 5, 100, Duration.ofSeconds(60));
        assertEquals(5, o.rounds());
        double bound = o.largestPrimaryBound();
        assertTrue(bound > 0.05 && bound <= 0.10, "the noise chosen leaves the bound between the target and 10%: " + bound);
        assertEquals(GateVerdict.PASS, o.verdict());
        assertFalse(o.targetReached());
        String headline = GateReport.headline(o);
        assertTrue(headline.matches("\\*\\*Gate: PASS\\*\\*: no regression larger than [0-9.]+% in time or CPU per message \\(target \\+5%\\) "
                + "after 5 rounds in 53s; 5% needs about [0-9]+ more rounds? of selector: --budget [0-9]+m\\..*"), headline);
    }

    /** Four servers judged together: a 1.5% difference that chance and the machine make is not a FAIL on any of their eight primary metrics. */
    @Test
    void theFailRuleIsSharedByThePrimaryMetricsOfEveryServer() {
        double[] ratios = {0.0345, 0.0065, 0.0275, 0.0415, 0.0135, 0.0275};
        assertEquals(PairedRatio.Verdict.FAIL, PairedRatio.analyse(ratios, PairedRatio.Rule.primary(0.05), 1).verdict(),
                "judged alone, it would fail");
        assertEquals(PairedRatio.Verdict.PASS, PairedRatio.analyse(ratios, PairedRatio.Rule.primary(0.05), 8).verdict(),
                "one of eight, it does not fail, and its interval still lies below 5%");
    }

    @Test
    void aFailureTheBudgetCannotConfirmIsNamedNotFailed() throws Exception {
        FakeMeasurer m = new FakeMeasurer().slow("selector", Metric.CPU_US_PER_MESSAGE, 1.3);
        Gate.Outcome o = run(m, List.of("selector"), 5, 100, Duration.ofSeconds(60));
        Gate.Judgement cpu = o.judgement("selector", Metric.CPU_US_PER_MESSAGE);
        assertEquals(5, cpu.unconfirmedSince());
        assertFalse(o.failed());
        assertTrue(GateReport.headline(o).contains("Seen failing but not confirmed before the budget ran out: selector cpuUsPerMessage (+30"),
                GateReport.headline(o));
    }

    @Test
    void theOpenLoopPercentilesAreReportedButDoNotSteerTheRounds() throws Exception {
        FakeMeasurer m = new FakeMeasurer();
        m.metricNoise.put(Metric.OPEN_P99_US, 1.9);
        m.metricNoise.put(Metric.OPEN_P50_US, 1.9);
        Gate.Outcome o = run(m, List.of("selector"), 5, 30);
        assertEquals(5, o.rounds());
        assertEquals(Gate.OPEN_LOOP_ROUNDS, m.openLoops.get("selector"), "the open loop, which only reports, in the first rounds");
        FakeMeasurer without = new FakeMeasurer();
        new Gate(without, List.of("selector"), new Gate.Plan(5, 30, 0.05, new Budget(Duration.ofHours(1), without::now)), 862, false,
                new PrintStream(OutputStream.nullOutputStream())).run();
        assertEquals(null, without.openLoops.get("selector"), "no open loop unless asked for");
        assertEquals(Status.REPORTED, o.judgement("selector", Metric.OPEN_P99_US).status());
        assertEquals(GateVerdict.PASS, o.verdict());
    }

    @Test
    void aMetricAVersionDoesNotReportIsNotApplicableWithItsReasonNotJudged() throws Exception {
        FakeMeasurer m = new FakeMeasurer();
        m.noSummary = List.of("selector");
        Gate.Outcome o = run(m, List.of("selector"), 5, 5);
        assertEquals(null, o.judgement("selector", Metric.ALLOC_BYTES_PER_MESSAGE));
        assertEquals(null, o.judgement("selector", Metric.THREADS_STARTED));
        assertTrue(o.row("selector", Metric.ALLOC_BYTES_PER_MESSAGE).orElseThrow().notApplicable().contains("printed no stop summary"));
        assertTrue(GateReport.table("HEAD~1", "0123456789abcdef", o).contains("| selector | allocBytesPerMessage |  |  |  |  |  |  |  | n/a: "));
        assertFalse(o.failed());
    }

    /** check.json holds the verdict, the rules, and a row per metric: judged with its pairs, or not applicable with why. */
    @Test
    void theJsonHoldsTheVerdictTheRulesAndEveryMetricJudgedOrNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        FakeMeasurer m = new FakeMeasurer();
        m.noSummary = List.of("selector");
        Gate.Outcome o = run(m, List.of("selector"), 5, 5);
        java.nio.file.Path file = dir.resolve("check.json");
        GateReport.writeJson(file, false, new CiReports.Versions("HEAD~1", "0123456789abcdef", "fedcba9876543210", false), 862, new GateReport.Injected(0, false, java.util.Map.of()), o,
                null);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        List<String> fields = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("schema", "schemaVersion", "verdict", "exitCode", "targetPercent", "boundPercent", "budgetSeconds",
                "elapsedSeconds", "budgetCut", "base", "candidate", "seed", "rounds", "roundSeconds", "cpuClock", "injected", "rules", "counts",
                "results", "environment"), fields);
        assertEquals("echo-lab/check", json.path("schema").asText());
        assertEquals(4, json.path("schemaVersion").asInt());
        assertEquals(List.of(10.0, 10.0, 10.0, 10.0, 10.0), new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                json.path("roundSeconds").path("selector"), List.class));
        assertEquals(5, json.path("rules").path("primary").path("passBelowPercent").asInt());
        assertEquals(o.verdict().name(), json.path("verdict").asText());
        assertEquals(0.90, json.path("rules").path("confidence").asDouble());
        boolean judged = false;
        boolean notApplicable = false;
        for (com.fasterxml.jackson.databind.JsonNode row : json.path("results")) {
            if (row.path("status").asText().equals("N/A")) {
                notApplicable |= row.path("reason").asText().contains("printed no stop summary");
            } else {
                judged |= row.path("pairs").size() == 5 && row.path("pairs").path(0).isArray() && row.path("pairs").path(0).size() == 2
                        && row.has("change") && row.has("failedFirstAt");
            }
        }
        assertTrue(judged && notApplicable, json.path("results").toString());
    }
}
