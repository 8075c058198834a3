package echolab.bench.check;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>A metric that steers (see {@link Metric.Role}) wants more rounds until it is settled: its interval
 * lies wholly below its rule's bound (and, for time and CPU, its MDE is at most that bound too, so that the
 * pass could have been a fail), or it has failed and the failure was confirmed. It stops wanting rounds
 * when the cap is out of reach for it: if its estimate and spread stayed as they are, the cap could
 * neither pass nor fail it, nor bring time's and CPU's MDE to {@link PairedRatio#NOISY_ABOVE} (futility).
 * Futility is judged only from half the cap on: a spread estimated from six rounds is itself off by a
 * third either way, and stopping on it would give up on runs that more rounds could settle. A server gets
 * rounds while one of its metrics wants them.
 *
 * <p>A metric that fails is not believed at once: after a look at the data each round, a chance crossing
 * is likely somewhere. The server gets {@value #CONFIRM_ROUNDS} more rounds (beyond the cap if need be)
 * and the metric fails only if it still fails over all its rounds. A confirmed FAIL decides the server:
 * it gets no more rounds, and its other metrics are reported as they stand.
 */
final class Gate {

    static final int CONFIRM_ROUNDS = 4;
    /** The open loop only reports; when asked for, it is measured in this many first rounds. */
    static final int OPEN_LOOP_ROUNDS = 3;

    /** What the gate says about one metric of one server. */
    enum Status { PASS, FAIL, INCONCLUSIVE, NOISY, REPORTED }

    /** One metric's statistic and status; {@code confirmedAt} is the round whose data confirmed a FAIL (else 0). */
    record Judgement(PairedRatio.Estimate result, Status status, int failedFirstAt, int confirmedAt) {
    }

    /** The gate's answer; exit codes are documented in CheckCommand. */
    enum GateVerdict { PASS, FAIL, NOISY;

        int exitCode() {
            return this == FAIL ? 1 : this == NOISY ? 3 : 0;
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

    /** The rows in the order of the servers, then of the metrics; {@code cpuClock} names the clock CPU time was read with. */
    record Outcome(int rounds, List<Row> rows, String cpuClock) {

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

        /** The largest MDE of the primary metrics: "no regression larger than this" when the gate passes. */
        double largestPrimaryMde() {
            return judged().stream().filter(r -> r.metric().role == Metric.Role.PRIMARY)
                    .mapToDouble(r -> r.judgement().result().mde()).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        }
    }

    private final Measurer measurer;
    private final List<String> servers;
    private final int rounds;
    private final int cap;
    private final long seed;
    private final boolean openLoop;
    private final PrintStream log;

    /** @param openLoop whether the first {@value #OPEN_LOOP_ROUNDS} rounds also measure the open loop (reported only) */
    Gate(Measurer measurer, List<String> servers, int rounds, int cap, long seed, boolean openLoop, PrintStream log) {
        this.measurer = measurer;
        this.servers = servers;
        this.rounds = rounds;
        this.cap = cap;
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
    private static final class Rounds {
        final Map<Metric, List<Pair>> pairs = new EnumMap<>(Metric.class);
        final Map<Metric, String> notApplicable = new EnumMap<>(Metric.class);
        final Map<Metric, Track> tracks = new EnumMap<>(Metric.class);
        Map<Metric, PairedRatio.Estimate> estimates = Map.of();

        int size() {
            return pairs.values().stream().mapToInt(List::size).max().orElse(0);
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
                            metric.role.rule()));
                }
            });
        }

        boolean failed() {
            return tracks.values().stream().anyMatch(t -> t.confirmedAt > 0);
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
        for (String server : servers) {
            measurer.prepare(server);
        }
        Map<String, Rounds> data = new LinkedHashMap<>();
        servers.forEach(s -> data.put(s, new Rounds()));
        SplittableRandom order = new SplittableRandom(seed);
        List<String> active = servers;
        long started = System.nanoTime();
        int round = 0;
        while (!active.isEmpty()) {
            round++;
            Random random = new Random(order.nextLong());
            List<String> shuffled = new ArrayList<>(active);
            Collections.shuffle(shuffled, random);
            Map<String, MetricValues[]> measured = new LinkedHashMap<>();
            for (String server : shuffled) {
                measured.put(server, measurer.measureRound(server, random, openLoop && round <= OPEN_LOOP_ROUNDS));
            }
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, MetricValues[]> e : measured.entrySet()) {
                Rounds d = data.get(e.getKey());
                d.record(e.getValue());
                int n = d.size();
                boolean more = n < rounds;
                for (Map.Entry<Metric, PairedRatio.Estimate> m : d.estimates.entrySet()) {
                    if (m.getKey().role.steers()) {
                        more |= wantsMore(m.getKey(), m.getValue(), d.tracks.computeIfAbsent(m.getKey(), k -> new Track()), n);
                    }
                }
                if (more && !d.failed()) {                              // a confirmed FAIL decides this server: no more rounds
                    next.add(e.getKey());
                }
            }
            active = next;
            log.printf("check: round %d done (%s elapsed)%s%n", round, Format.seconds((System.nanoTime() - started) / 1e9),
                    active.isEmpty() ? "" : round < rounds ? "" : "; more rounds for " + String.join(", ", active));
        }
        List<Row> rows = new ArrayList<>();
        data.forEach((server, d) -> rows.addAll(d.rows(server)));
        return new Outcome(round, rows, measurer.cpuClock());
    }

    /** Updates the metric's confirmation state after round n; true while it wants another round. */
    private boolean wantsMore(Metric metric, PairedRatio.Estimate r, Track t, int n) {
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
        } else if (r.verdict() == Verdict.FAIL && n >= rounds && n <= cap) {   // at most cap + CONFIRM_ROUNDS in all
            t.confirmingSince = n;
            t.failedFirstAt = t.failedFirstAt == 0 ? n : t.failedFirstAt;
            log.printf("check: %s failed after %d rounds; confirming with %d more%n", metric.key, n, CONFIRM_ROUNDS);
            return true;
        }
        if (n >= cap || settled(metric, r)) {
            return false;
        }
        return n < futileFrom() || PairedRatio.capCanDecide(r, cap, metric.role.rule(), metric.role == Metric.Role.PRIMARY);   // else more rounds are futile
    }

    /** The first round after which a metric may be given up as futile. */
    int futileFrom() {
        return Math.max(rounds, (cap + 1) / 2);
    }

    private static boolean settled(Metric metric, PairedRatio.Estimate r) {
        return r.verdict() == Verdict.PASS && (metric.role != Metric.Role.PRIMARY || r.mde() <= metric.role.rule().passBelow());
    }

    private static Judgement judge(Metric metric, PairedRatio.Estimate r, Track t) {
        Status status;
        if (!metric.role.steers()) {
            status = Status.REPORTED;
        } else if (t.confirmedAt > 0) {
            status = Status.FAIL;
        } else if (metric.role == Metric.Role.PRIMARY && !(r.mde() <= PairedRatio.NOISY_ABOVE)) {
            status = Status.NOISY;
        } else {
            status = r.verdict() == Verdict.PASS ? Status.PASS : Status.INCONCLUSIVE;
        }
        return new Judgement(r, status, t.failedFirstAt, t.confirmedAt);
    }
}
