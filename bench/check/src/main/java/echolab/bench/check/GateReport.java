package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import echolab.bench.check.Gate.GateVerdict;
import echolab.bench.check.Gate.Judgement;
import echolab.bench.check.Gate.Status;
import echolab.bench.results.Environment;
import echolab.bench.results.Figure;
import echolab.bench.results.Format;
import echolab.bench.base.RunOutput;
import echolab.bench.results.Table;
import echolab.bench.base.Json;

/** The gate's outcome for people (a Markdown table) and for machines (JSON, schema echo-lab/check). */
final class GateReport {

    private GateReport() {
    }

    static String table(String baseRev, String baseSha, Gate.Outcome o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%n### echo-lab check: working tree vs %s (%s)%n%n", baseRev, baseSha.substring(0, 12)));
        s.append(headline(o)).append("\n\n");
        Table table = new Table(Table.text("server"), Table.text("metric"), Table.figure("base"), Table.figure("candidate"),
                Table.figure("change"), Table.text("90% interval"), Table.figure("rounds"), Table.figure("rules out above"), Table.figure("MDE"),
                Table.text("verdict"));
        for (Gate.Row row : o.rows()) {
            Metric metric = row.metric();
            if (!row.judged()) {
                table.row(row.server(), metric.key, null, null, null, null, null, null, null, "n/a: " + row.notApplicable());
                continue;
            }
            PairedRatio.Estimate r = row.judgement().result();
            table.row(row.server(), metric.key, metric.unit.format(median(row, Measurer.Side.BASE)),
                    metric.unit.format(median(row, Measurer.Side.CANDIDATE)), String.format("%+.1f%%", 100 * r.change()),
                    String.format("%+.1f%% to %+.1f%%", 100 * r.low(), 100 * r.high()), r.rounds(),
                    metric.role.steers() ? String.format("%+.1f%%", 100 * r.high()) : "",
                    metric.role.steers() ? String.format("%.1f%%", 100 * r.mde()) : "", verdictCell(row.judgement()));
        }
        s.append(table.markdown());
        PairedRatio.Rule primary = o.plan().rule(Metric.US_PER_MESSAGE);
        s.append(String.format("%nHigher is worse for every metric. Base, candidate: medians over the rounds. Change: the 20%% "
                + "trimmed mean of the paired log-ratios, as a percentage, with Yuen's 90%% interval; its top (a one-sided 95%% bound) is the largest "
                + "regression the rounds rule out. MDE: the smallest slowdown these rounds would fail 9 times in 10. FAIL, still so "
                + "after %d confirming rounds: for time and CPU, interval wholly above %s at a confidence shared by the %d primary "
                + "metrics, change at least +%s%%; for the counts, interval wholly above +%s%%, change at least +%s%%. PASS: "
                + "interval wholly below the target, %s, for time and CPU (NOISY if it reaches above +%d%%), +%s%% for the counts. "
                + "Open-loop percentiles and involuntary context switches are reported, not judged. Budget %s, used %s. Server CPU "
                + "time read with: %s.%n", Gate.CONFIRM_ROUNDS, percentAbove(primary.failAbovePercent()), primaryCount(o),
                number(primary.failEstimatePercent()), number(PairedRatio.Rule.COUNTER.failAbovePercent()),
                number(PairedRatio.Rule.COUNTER.failEstimatePercent()), percent(o.plan().target()), PairedRatio.NOISY_ABOVE_PERCENT,
                number(PairedRatio.Rule.COUNTER.passBelowPercent()), Format.seconds(o.plan().budget().limit().toSeconds()),
                Format.seconds(o.elapsed().toSeconds()), o.cpuClock()));
        return s.toString();
    }

    private static long primaryCount(Gate.Outcome o) {
        return o.judged().stream().filter(r -> r.metric().role == Metric.Role.PRIMARY).count();
    }

    /** A fraction as a percentage: 0.05 is "+5%", 0.071 "+7.1%". */
    static String percent(double fraction) {
        return "+" + number(100 * fraction) + "%";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
    }

    private static String percentAbove(double percent) {
        return percent == 0 ? "0" : "+" + number(percent) + "%";
    }

    /** The gate's verdict in one sentence: the bound it reached against the target, what would reach the target, what to do when NOISY. */
    static String headline(Gate.Outcome o) {
        GateVerdict v = o.verdict();
        if (v == GateVerdict.FAIL) {
            List<String> failed = where(o, Status.FAIL);
            return "**Gate: FAIL**: a regression, confirmed, in " + String.join(", ", failed) + ".";
        }
        String unconfirmed = unconfirmed(o);
        if (v == GateVerdict.NOISY) {
            return String.format("**Gate: NOISY**: after %d rounds in %s this run could not rule out a regression of %d%% in %s (the "
                    + "largest it rules out in brackets). It proves nothing either way: rerun with a larger --budget%s, on a quieter "
                    + "runner, and pinned (not --no-pin).%s", o.rounds(), Format.seconds(o.elapsed().toSeconds()),
                    PairedRatio.NOISY_ABOVE_PERCENT, String.join(", ", where(o, Status.NOISY)),
                    suggestedBudget(o).map(b -> " (" + b + " would reach the target)").orElse(""), unconfirmed);
        }
        List<String> openCounts = o.judged().stream().filter(r -> r.status() == Status.INCONCLUSIVE && r.metric().role != Metric.Role.PRIMARY)
                .map(r -> r.server() + " " + r.metric().key).toList();
        String reach;
        if (o.targetReached()) {
            reach = "";
        } else {
            reach = "; " + percent(o.plan().target()).substring(1) + suggestedBudget(o)
                    .map(b -> " needs about " + roundsOfEach(o.roundsToTarget()) + ": " + b)
                    .orElse(" is out of reach: " + String.join(", ", o.shortfalls().stream().filter(x -> !x.reachable())
                            .map(x -> x.server() + " " + x.metric().key + "'s estimate is " + String.format("%+.1f%%",
                                    100 * o.judgement(x.server(), x.metric()).result().change())).toList()));
        }
        return String.format("**Gate: PASS**: no regression larger than %.1f%% in time or CPU per message (target %s) after %d rounds "
                + "in %s%s%s.%s", 100 * o.largestPrimaryBound(), percent(o.plan().target()), o.rounds(), Format.seconds(o.elapsed().toSeconds()),
                reach, openCounts.isEmpty() ? "" : "; " + openCounts.size() + " count" + (openCounts.size() == 1 ? " is" : "s are")
                        + " inconclusive: " + String.join(", ", openCounts), unconfirmed);
    }

    /** "4 more rounds of sync, 16 of thread-per-conn": a server's rounds take a few seconds, a round of the whole run is all of them. */
    private static String roundsOfEach(Map<String, Integer> perServer) {
        List<String> parts = new ArrayList<>();
        perServer.forEach((server, rounds) -> parts.add(rounds + (parts.isEmpty() ? " more round" + (rounds == 1 ? "" : "s") : "") + " of " + server));
        return String.join(", ", parts);
    }

    /** "--budget 8m": the whole minutes the run took plus what the shortfalls need; empty when the target is out of reach. */
    static Optional<String> suggestedBudget(Gate.Outcome o) {
        return o.timeToTarget().map(more -> "--budget " + (long) Math.ceil(o.elapsed().plus(more).toSeconds() / 60.0) + "m");
    }

    /** A sentence on the FAILs the budget left no room to confirm, or nothing. */
    private static String unconfirmed(Gate.Outcome o) {
        List<String> seen = o.judged().stream().filter(r -> r.judgement().unconfirmedSince() > 0)
                .map(r -> String.format("%s %s (%+.1f%%, from round %d)", r.server(), r.metric().key, 100 * r.judgement().result().change(),
                        r.judgement().unconfirmedSince())).toList();
        return seen.isEmpty() ? "" : " Seen failing but not confirmed before the budget ran out: " + String.join(", ", seen)
                + "; a larger --budget would confirm or clear it.";
    }

    private static List<String> where(Gate.Outcome o, Status status) {
        return o.judged().stream().filter(r -> r.status() == status).map(r -> r.server() + " " + r.metric().key
                + (status == Status.NOISY ? String.format(" (%+.1f%%)", 100 * r.judgement().bound())
                : status == Status.FAIL ? String.format(" (%+.1f%%)", 100 * r.judgement().result().change()) : "")).toList();
    }

    private static String verdictCell(Judgement j) {
        return switch (j.status()) {
            case FAIL -> "**FAIL** (from round " + j.failedFirstAt() + ", confirmed at " + j.confirmedAt() + ")";
            case NOISY -> "**NOISY**";
            case REPORTED -> "reported";
            default -> j.status().name();
        };
    }

    static void writeJson(Path file, boolean replace, CiReports.Versions versions, long seed, Injected injected, Gate.Outcome o,
                          Environment environment) throws IOException {
        CheckFile out = CheckFile.of(versions, seed, injected, o, environment);
        RunOutput.write(file, replace, "--json", into -> Json.PRETTY.writeValue(into.toFile(), out));
    }

    /**
     * What a test-only injection put into the candidate: {@code spinNanos}, per server, the CPU it spins per echo
     * ({@code slowdownPercent} of what the warmed base spent per message before the rounds).
     */
    record Injected(double slowdownPercent, boolean extraWriteCall, java.util.Map<String, Long> spinNanos) {
    }

    /** The median over the rounds of one side of a row. */
    static double median(Gate.Row row, Measurer.Side side) {
        return Figure.median(row.pairs().stream().map(p -> side == Measurer.Side.BASE ? p.base() : p.candidate()).toList());
    }
}
