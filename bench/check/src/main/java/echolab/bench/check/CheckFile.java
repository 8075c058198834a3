package echolab.bench.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import echolab.bench.check.Gate.Status;
import echolab.bench.results.Environment;

/**
 * check.json (schema {@value #SCHEMA}, version {@value #VERSION}) as records: the verdict, the two versions,
 * the rules it was judged by, and per server and metric the paired data and the statistic. Jackson writes
 * the components in the order declared here.
 */
record CheckFile(String schema, int schemaVersion, String verdict, int exitCode, double targetPercent, double boundPercent,
                 double budgetSeconds, double elapsedSeconds, List<String> budgetCut, Base base,
                 Candidate candidate, long seed, int rounds, Map<String, List<Double>> roundSeconds, String cpuClock, GateReport.Injected injected, Rules rules, Map<String, Long> counts,
                 List<Object> results, Environment environment) {

    static final String SCHEMA = "echo-lab/check";
    static final int VERSION = 4;

    record Base(String revision, String commit) {
    }

    record Candidate(String commit, boolean dirty) {
    }

    /** How the metrics were judged: time and CPU by {@code primary}, the counts by {@code counter} (see PairedRatio.Rule). */
    record Rules(String estimator, double confidence, String failConfidence, PairedRatio.Rule primary, PairedRatio.Rule counter,
                 int noisyAbovePercent, int confirmRounds, double mdePower) {

        static Rules of(Gate.Plan plan) {
            return new Rules("20% trimmed mean of paired log-ratios, Yuen interval", PairedRatio.CONFIDENCE,
                    "lower side, primary: 1 - 2.5% / the number of primary metrics (Bonferroni); counter: 97.5%",
                    plan.rule(Metric.US_PER_MESSAGE), PairedRatio.Rule.COUNTER, PairedRatio.NOISY_ABOVE_PERCENT, Gate.CONFIRM_ROUNDS,
                    PairedRatio.POWER);
        }
    }

    /**
     * A metric judged: its pairs ({base, candidate} per round), the statistic (high is the largest regression
     * ruled out), and when a FAIL was first seen, confirmed, or left unconfirmed by the budget.
     */
    record Judged(String server, String metric, String role, List<Gate.Pair> pairs, double change, double low, double high, double mde,
                  String status, Integer failedFirstAt, Integer confirmedAt, Integer unconfirmedSince) {
    }

    /** A metric one of the versions does not report, and why. */
    record NotApplicable(String server, String metric, String role, String status, String reason) {
    }

    static CheckFile of(CiReports.Versions v, long seed, GateReport.Injected injected, Gate.Outcome o, Environment environment) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            counts.put(status.name().toLowerCase(), o.count(status));
        }
        List<Object> results = new ArrayList<>();
        for (Gate.Row row : o.rows()) {
            String role = row.metric().role.name().toLowerCase();
            Gate.Judgement j = row.judgement();
            results.add(j == null ? new NotApplicable(row.server(), row.metric().key, role, "N/A", row.notApplicable())
                    : new Judged(row.server(), row.metric().key, role, row.pairs(), j.result().change(), j.result().low(),
                            j.result().high(), j.result().mde(), j.status().name(), j.failedFirstAt() == 0 ? null : j.failedFirstAt(),
                            j.confirmedAt() == 0 ? null : j.confirmedAt(), j.unconfirmedSince() == 0 ? null : j.unconfirmedSince()));
        }
        return new CheckFile(SCHEMA, VERSION, o.verdict().name(), o.verdict().exitCode(), 100 * o.plan().target(),
                100 * o.largestPrimaryBound(), o.plan().budget().limit().toMillis() / 1e3, o.elapsed().toMillis() / 1e3, o.budgetCut(),
                new Base(v.baseRevision(), v.baseCommit()), new Candidate(String.valueOf(v.candidateCommit()), v.candidateDirty()), seed,
                o.rounds(), o.roundSeconds(), o.cpuClock(), injected, Rules.of(o.plan()), counts, results, environment);
    }
}
