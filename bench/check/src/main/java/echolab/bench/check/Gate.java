package echolab.bench.check;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import echolab.bench.check.Measurer.Side;
import echolab.bench.check.PairedRatio.Verdict;
import echolab.bench.results.Format;

/**
 * The gate's procedure: rounds in which every server still in question is measured as base and as
 * candidate, the servers in a seeded random order; after each round, the paired log-ratios of every
 * metric. The open loop, which only reports, is measured in the first {@value #OPEN_LOOP_ROUNDS} rounds when asked for.
 *
 * <p>The run has a {@link Budget}: a server's round is started only if it can still finish inside it,
 * expected to take as long as that server's longest round so far (its first, three times its warm-up
 * probe). When a round has no room for every server still in question, the servers whose time or CPU
 * is furthest from ruling out the target go first. After the first {@code rounds}, a server gets more rounds while one of its steering metrics
 * (see {@link Metric.Role}) is still open, up to the cap: a primary metric is open until its interval rules
 * out the target (lies wholly below it), a count until it passes its rule; either is closed by a confirmed
 * FAIL.
 *
 * <p>A metric that fails is not believed at once: after a look at the data each round, a chance crossing
 * is likely somewhere. The server gets {@value #CONFIRM_ROUNDS} more rounds (beyond the cap if need be,
 * never beyond the budget) and the metric fails only if it still fails over all its rounds. A confirmed
 * FAIL decides the server: it gets no more rounds, and its other metrics are reported as they stand.
 */
final class Gate {

    static final int CONFIRM_ROUNDS = 4;
    /** The open loop only reports; when asked for, it is measured in this many first rounds. */
    static final int OPEN_LOOP_ROUNDS = 3;
    /** A server's first round is expected to take this many times its warm-up probe (a round starts two JVMs, measures ten windows). */
    static final int FIRST_ROUND_PER_PROBE = 3;

    /** What the gate says about one metric of one server. PASS: a primary metric ruled out the target, a count passed its rule. */
    enum Status { PASS, FAIL, INCONCLUSIVE, NOISY, REPORTED }

    /**
     * One metric's statistic and status; {@code confirmedAt} is the round whose data confirmed a FAIL (else
     * 0); {@code unconfirmedSince} the round of a FAIL whose confirming rounds the budget cut short (else 0).
     */
    record Judgement(PairedRatio.Estimate result, Status status, int failedFirstAt, int confirmedAt, int unconfirmedSince) {

        /** The largest regression this metric's rounds ruled out: the top of its interval, as a fraction. */
        double bound() {
            return result.high();
        }
    }

    /** The gate's answer; exit codes are documented in CheckCommand. */
    enum GateVerdict { PASS, FAIL, NOISY;

        int exitCode() {
            return this == FAIL ? 1 : this == NOISY ? 3 : 0;
        }
    }

    /** How many rounds before the first verdict, the cap, the target for time and CPU (a fraction), and the budget. */
    record Plan(int rounds, int cap, double target, Budget budget) {

        PairedRatio.Rule rule(Metric metric) {
            return metric.role == Metric.Role.PRIMARY ? PairedRatio.Rule.primary(target) : PairedRatio.Rule.COUNTER;
        }
    }

    /** One round's value of a metric for base and candidate; check.json writes it as {@code [base, candidate]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"base", "candidate"})
    record Pair(double base, double candidate) {
    }

    /**
     * One metric of one server: its pairs, and either its judgement or why it could not be judged
     * ({@code notApplicable}; then {@code judgement} is null).
     */
    record Row(String server, Metric metric, List<Pair> pairs, Judgement judgement, String notApplicable) {

        boolean judged() {
            return judgement != null;
        }

        Status status() {
            return judgement == null ? null : judgement.status();
        }
    }

    /**
     * What more a primary metric that did not rule out the target would need: {@code rounds} more of its
     * server, or none can (its estimate is at the target or above it: {@code rounds} is 0).
     */
    record Shortfall(String server, Metric metric, int rounds) {

        boolean reachable() {
            return rounds > 0;
        }
    }

    /**
     * The rows in the order of the servers, then of the metrics; {@code cpuClock} names the clock CPU time
     * was read with; {@code roundSeconds} how long each server's rounds took; {@code budgetCut} the servers
     * that wanted a round the budget had no room for.
     */
    record Outcome(int rounds, List<Row> rows, String cpuClock, Plan plan, Duration elapsed, Map<String, List<Double>> roundSeconds,
                   List<String> budgetCut) {

        GateVerdict verdict() {
            if (count(Status.FAIL) > 0) {
                return GateVerdict.FAIL;
            }
            return count(Status.NOISY) > 0 ? GateVerdict.NOISY : GateVerdict.PASS;
        }

        boolean failed() {
            return verdict() == GateVerdict.FAIL;
        }

        long count(Status status) {
            return rows.stream().filter(r -> r.status() == status).count();
        }

        List<Row> judged() {
            return rows.stream().filter(Row::judged).toList();
        }

        /** The row of one server's metric; empty when that metric was neither judged nor found not applicable. */
        Optional<Row> row(String server, Metric metric) {
            return rows.stream().filter(r -> r.server().equals(server) && r.metric() == metric).findFirst();
        }

        /** The judgement of one server's metric, or null when it was not judged. */
        Judgement judgement(String server, Metric metric) {
            return row(server, metric).map(Row::judgement).orElse(null);
        }

        private List<Row> primaries() {
            return judged().stream().filter(r -> r.metric().role == Metric.Role.PRIMARY).toList();
        }

        /** The largest bound of the primary metrics: "no regression larger than this" when the gate passes. */
        double largestPrimaryBound() {
            return primaries().stream().mapToDouble(r -> r.judgement().bound()).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        }

        /** Whether every primary metric ruled out the target. */
        boolean targetReached() {
            return primaries().stream().allMatch(r -> r.judgement().bound() < plan.target());
        }

        /** The primary metrics that did not rule out the target, and what each would need. */
        List<Shortfall> shortfalls() {
            return primaries().stream().filter(r -> !(r.judgement().bound() < plan.target()))
                    .map(r -> new Shortfall(r.server(), r.metric(),
                            PairedRatio.roundsToPass(r.judgement().result(), plan.rule(r.metric())))).toList();
        }

        /** Per server with a shortfall, in the order of the servers, the most rounds of it any of its metrics needs. */
        Map<String, Integer> roundsToTarget() {
            Map<String, Integer> perServer = new LinkedHashMap<>();
            shortfalls().forEach(x -> perServer.merge(x.server(), x.rounds(), Math::max));
            return perServer;
        }

        /**
         * About how long the rounds the shortfalls need would take (per server the most any of its metrics
         * needs, at its mean round time); empty when some metric cannot reach the target.
         */
        Optional<Duration> timeToTarget() {
            if (shortfalls().stream().anyMatch(x -> !x.reachable())) {
                return Optional.empty();
            }
            double seconds = 0;
            for (Map.Entry<String, Integer> e : roundsToTarget().entrySet()) {
                seconds += e.getValue() * roundSeconds.getOrDefault(e.getKey(), List.of()).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(0);
            }
            return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
        }
    }

    private final Measurer measurer;
    private final List<String> servers;
    private final Plan plan;
    private final long seed;
    private final boolean openLoop;
    private final PrintStream log;

    /** @param openLoop whether the first {@value #OPEN_LOOP_ROUNDS} rounds also measure the open loop (reported only) */
    Gate(Measurer measurer, List<String> servers, Plan plan, long seed, boolean openLoop, PrintStream log) {
        this.measurer = measurer;
        this.servers = servers;
        this.plan = plan;
        this.seed = seed;
        this.openLoop = openLoop;
        this.log = log;
    }

    /** Where one metric stands during the rounds. */
    private static final class Track {
        int failedFirstAt;       // the round of the first screening FAIL
        int confirmingSince;     // the round whose FAIL is being confirmed; 0 when none
        int confirmedAt;
    }

    /** One server's data during the rounds. */
    private final class Rounds {
        final Map<Metric, List<Pair>> pairs = new EnumMap<>(Metric.class);
        final Map<Metric, String> notApplicable = new EnumMap<>(Metric.class);
        final Map<Metric, Track> tracks = new EnumMap<>(Metric.class);
        final List<Double> seconds = new ArrayList<>();
        Duration probe = Duration.ZERO;
        Map<Metric, PairedRatio.Estimate> estimates = Map.of();

        int size() {
            return pairs.values().stream().mapToInt(List::size).max().orElse(0);
        }

        /** How long the next round is expected to take: the longest so far, or before any a multiple of the probe. */
        Duration expected() {
            return seconds.isEmpty() ? probe.multipliedBy(FIRST_ROUND_PER_PROBE)
                    : Duration.ofMillis(Math.round(1000 * seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        }

        void record(MetricValues[] samples) {
            for (Metric metric : Metric.values()) {
                Double b = samples[Side.BASE.ordinal()].values().get(metric);
                Double c = samples[Side.CANDIDATE.ordinal()].values().get(metric);
                if (b != null && c != null) {
                    pairs.computeIfAbsent(metric, k -> new ArrayList<>()).add(new Pair(b, c));
                } else {
                    String why = samples[0].missing().getOrDefault(metric, samples[1].missing().get(metric));
                    if (why != null || metric.role.steers()) {               // a reported metric may sit a round out
                        notApplicable.putIfAbsent(metric, why != null ? why : "not measured");
                    }
                }
            }
            estimates = new EnumMap<>(Metric.class);
            pairs.forEach((metric, p) -> {
                if (!notApplicable.containsKey(metric)) {               // a metric missing in any round is not judged
                    estimates.put(metric, PairedRatio.analyse(p.stream().mapToDouble(x -> metric.logRatio(x.base(), x.candidate())).toArray(),
                            plan.rule(metric), metric.role == Metric.Role.PRIMARY ? 2 * servers.size() : 1));
                }
            });
        }

        boolean failed() {
            return tracks.values().stream().anyMatch(t -> t.confirmedAt > 0);
        }

        /** The top of the widest interval of this server's primary metrics so far (+infinity before any). */
        double largestPrimaryBound() {
            return estimates.entrySet().stream().filter(e -> e.getKey().role == Metric.Role.PRIMARY)
                    .mapToDouble(e -> Double.isNaN(e.getValue().high()) ? Double.POSITIVE_INFINITY : e.getValue().high())
                    .max().orElse(Double.POSITIVE_INFINITY);
        }

        /** The rows of this server: its judged metrics, then those not applicable. */
        List<Row> rows(String server) {
            List<Row> out = new ArrayList<>();
            estimates.forEach((metric, r) -> out.add(new Row(server, metric, List.copyOf(pairs.get(metric)),
                    judge(metric, r, tracks.getOrDefault(metric, new Track())), null)));
            notApplicable.forEach((metric, why) -> out.add(new Row(server, metric, List.copyOf(pairs.getOrDefault(metric, List.of())), null, why)));
            return out;
        }
    }

    Outcome run() throws IOException, InterruptedException {
        Budget budget = plan.budget();
        Map<String, Rounds> data = new LinkedHashMap<>();
        servers.forEach(s -> data.put(s, new Rounds()));
        for (String server : servers) {
            long t0 = budget.now();
            measurer.prepare(server);
            data.get(server).probe = Duration.ofNanos(budget.now() - t0);
        }
        SplittableRandom order = new SplittableRandom(seed);
        List<String> active = servers;
        List<String> cut = new ArrayList<>();
        int round = 0;
        while (!active.isEmpty()) {
            Random random = new Random(order.nextLong());
            List<String> shuffled = new ArrayList<>(active);
            Collections.shuffle(shuffled, random);
            Duration wanted = shuffled.stream().map(srv -> data.get(srv).expected()).reduce(Duration.ZERO, Duration::plus);
            if (!budget.fits(wanted)) {                               // not room for all: the furthest from settled first
                shuffled.sort(Comparator.comparingDouble((String srv) -> data.get(srv).largestPrimaryBound()).reversed());
            }
            Map<String, MetricValues[]> measured = new LinkedHashMap<>();
            for (String server : shuffled) {
                Rounds d = data.get(server);
                if (!budget.fits(d.expected())) {
                    cut.add(server);                                   // no room in the budget: this server's rounds end
                    continue;
                }
                long t0 = budget.now();
                measured.put(server, measurer.measureRound(server, random, openLoop && round < OPEN_LOOP_ROUNDS));
                d.seconds.add((budget.now() - t0) / 1e9);
            }
            if (measured.isEmpty()) {
                break;
            }
            round++;
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, MetricValues[]> e : measured.entrySet()) {
                Rounds d = data.get(e.getKey());
                d.record(e.getValue());
                int n = d.size();
                boolean more = n < plan.rounds();
                for (Map.Entry<Metric, PairedRatio.Estimate> m : d.estimates.entrySet()) {
                    if (m.getKey().role.steers()) {
                        more |= wantsMore(e.getKey(), m.getKey(), m.getValue(), d.tracks.computeIfAbsent(m.getKey(), k -> new Track()), n);
                    }
                }
                if (more && !d.failed()) {                              // a confirmed FAIL decides this server: no more rounds
                    next.add(e.getKey());
                }
            }
            active = next;
            log.printf("check: round %d done (%s elapsed of a %s budget)%s%n", round, Format.seconds(budget.elapsed().toMillis() / 1e3),
                    Format.seconds(budget.limit().toSeconds()),
                    active.isEmpty() ? "" : round < plan.rounds() ? "" : "; more rounds for " + String.join(", ", active));
        }
        if (!cut.isEmpty()) {
            log.printf("check: the budget (%s) has no room for another round of %s%n", Format.seconds(budget.limit().toSeconds()),
                    String.join(", ", cut));
        }
        List<Row> rows = new ArrayList<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        data.forEach((server, d) -> {
            rows.addAll(d.rows(server));
            seconds.put(server, List.copyOf(d.seconds));
        });
        return new Outcome(round, rows, measurer.cpuClock(), plan, budget.elapsed(), seconds, List.copyOf(cut));
    }

    /** Updates the metric's confirmation state after round n; true while it wants another round. */
    private boolean wantsMore(String server, Metric metric, PairedRatio.Estimate r, Track t, int n) {
        if (t.confirmedAt > 0) {
            return false;
        }
        if (t.confirmingSince > 0) {
            if (n < t.confirmingSince + CONFIRM_ROUNDS) {
                return true;
            }
            if (r.verdict() == Verdict.FAIL) {
                t.confirmedAt = n;
                return false;
            }
            t.confirmingSince = 0;                           // not confirmed: back to the ordinary rounds
        } else if (r.verdict() == Verdict.FAIL && n >= plan.rounds() && n <= plan.cap()) {   // at most cap + CONFIRM_ROUNDS in all
            t.confirmingSince = n;
            t.failedFirstAt = t.failedFirstAt == 0 ? n : t.failedFirstAt;
            log.printf("check: %s %s failed after %d rounds; confirming with %d more%n", server, metric.key, n, CONFIRM_ROUNDS);
            return true;
        }
        return n < plan.cap() && r.verdict() != Verdict.PASS;
    }

    private Judgement judge(Metric metric, PairedRatio.Estimate r, Track t) {
        Status status;
        if (!metric.role.steers()) {
            status = Status.REPORTED;
        } else if (t.confirmedAt > 0) {
            status = Status.FAIL;
        } else if (r.verdict() == Verdict.PASS) {
            status = Status.PASS;
        } else if (metric.role == Metric.Role.PRIMARY && !(r.high() <= PairedRatio.NOISY_ABOVE)) {
            status = Status.NOISY;
        } else {
            status = Status.INCONCLUSIVE;
        }
        return new Judgement(r, status, t.failedFirstAt, t.confirmedAt, t.confirmingSince);
    }
}
