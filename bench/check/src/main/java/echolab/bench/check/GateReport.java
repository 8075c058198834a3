package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;


import echolab.bench.check.Gate.GateVerdict;
import echolab.bench.check.Gate.Judgement;
import echolab.bench.check.Gate.Status;
import echolab.bench.results.Environment;
import echolab.bench.results.Figure;
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
                Table.figure("change"), Table.text("95% interval"), Table.figure("rounds"), Table.figure("MDE"), Table.text("verdict"));
        for (Gate.Row row : o.rows()) {
            Metric metric = row.metric();
            if (!row.judged()) {
                table.row(row.server(), metric.key, null, null, null, null, null, null, "n/a: " + row.notApplicable());
                continue;
            }
            PairedRatio.Estimate r = row.judgement().result();
            table.row(row.server(), metric.key, metric.unit.format(median(row, Measurer.Side.BASE)),
                    metric.unit.format(median(row, Measurer.Side.CANDIDATE)), String.format("%+.1f%%", 100 * r.change()),
                    String.format("%+.1f%% to %+.1f%%", 100 * r.low(), 100 * r.high()), r.rounds(),
                    metric.role.steers() ? String.format("%.1f%%", 100 * r.mde()) : "", verdictCell(row.judgement()));
        }
        s.append(table.markdown());
        s.append(String.format("%nHigher is worse for every metric. Base, candidate: medians over the rounds. Change: the 20%% "
                + "trimmed mean of the paired log-ratios, as a percentage, with Yuen's 95%% interval. MDE: the smallest "
                + "slowdown these rounds would fail 9 times in 10. FAIL, still so after %d confirming rounds: for time and CPU, "
                + "interval wholly above %s, change at least +%d%%; for the counts, interval wholly above +%d%%, change at least "
                + "+%d%%. PASS: interval wholly below +%d%% for time and CPU (NOISY if their MDE is above %d%%), +%d%% for the "
                + "counts. Open-loop percentiles and involuntary context switches are reported, not judged. Server CPU time read "
                + "with: %s.%n", Gate.CONFIRM_ROUNDS, percentAbove(PairedRatio.Rule.PRIMARY.failAbovePercent()),
                PairedRatio.Rule.PRIMARY.failEstimatePercent(), PairedRatio.Rule.COUNTER.failAbovePercent(),
                PairedRatio.Rule.COUNTER.failEstimatePercent(), PairedRatio.Rule.PRIMARY.passBelowPercent(), PairedRatio.NOISY_ABOVE_PERCENT,
                PairedRatio.Rule.COUNTER.passBelowPercent(), o.cpuClock()));
        return s.toString();
    }

    private static String percentAbove(int percent) {
        return percent == 0 ? "0" : "+" + percent + "%";
    }

    /** The gate's verdict in one sentence, with what to do when it is NOISY. */
    static String headline(Gate.Outcome o) {
        GateVerdict v = o.verdict();
        if (v == GateVerdict.FAIL) {
            List<String> failed = where(o, Status.FAIL);
            return "**Gate: FAIL**: a regression, confirmed, in " + String.join(", ", failed) + ".";
        }
        if (v == GateVerdict.NOISY) {
            return String.format("**Gate: NOISY**: this run could not have failed a %d%% regression in %s (MDE above %d%%). "
                    + "It proves nothing either way: rerun with more rounds (e.g. --rounds 10 --max-rounds 30), on a quieter "
                    + "runner, and pinned (not --no-pin).", PairedRatio.NOISY_ABOVE_PERCENT, String.join(", ", where(o, Status.NOISY)),
                    PairedRatio.NOISY_ABOVE_PERCENT);
        }
        long open = o.count(Status.INCONCLUSIVE);
        return String.format("**Gate: PASS**: no regression larger than %.1f%% in time or CPU per message (the largest MDE of "
                + "the primary metrics) after %d rounds%s.", 100 * o.largestPrimaryMde(), o.rounds(),
                open == 0 ? "" : "; " + open + " metric" + (open == 1 ? " is" : "s are") + " inconclusive: " + String.join(", ",
                        where(o, Status.INCONCLUSIVE)));
    }

    private static List<String> where(Gate.Outcome o, Status status) {
        return o.judged().stream().filter(r -> r.status() == status).map(r -> r.server() + " " + r.metric().key
                + (status == Status.NOISY ? String.format(" (MDE %.0f%%)", 100 * r.judgement().result().mde())
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

    /** What a test-only injection put into the candidate. */
    record Injected(double slowdownPercent, boolean extraWriteCall) {
    }

    /** The median over the rounds of one side of a row. */
    static double median(Gate.Row row, Measurer.Side side) {
        return Figure.median(row.pairs().stream().map(p -> side == Measurer.Side.BASE ? p.base() : p.candidate()).toList());
    }
}
