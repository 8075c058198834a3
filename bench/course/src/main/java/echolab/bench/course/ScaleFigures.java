package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Ladder;
import echolab.bench.results.Table;
import echolab.bench.results.Target;
import echolab.bench.results.TargetReport;
import echolab.bench.results.Trial;
import echolab.bench.results.Unit;

/**
 * The lessons' figures of how far each model goes: where it stopped on the connection ladder and why, what
 * each connection cost it and its ceiling on paper (from a scale run), and the highest rate it sustained
 * under the latency target (from a capacity run). Where the run is missing, the figure names the command.
 */
record ScaleFigures(CourseData data, Path figuresDir) {

    static final String SCALE_COMMAND = "./echolab scale";
    static final String CAPACITY_COMMAND = "./echolab capacity";

    PageFigure ladder(String highlight) throws IOException {
        String title = "How many connections it held, and what stopped it";
        if (data.scale().isEmpty() || !(data.scale().get().kind() instanceof BenchRun.Scale scale)) {
            return missing("ladder-" + highlight, title, SCALE_COMMAND, "about six minutes");
        }
        BenchRun r = data.scale().get();
        Ladder ladder = scale.ladder();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = Figures.serverTable("server", "highest step held", "most held", "stopped by", "RSS per connection",
                "heap per connection", "threads per connection", "ceiling on paper, " + machine(ladder));
        for (Ladder.ServerLadder l : ladder.servers()) {
            Optional<Trial.LadderStats> top = r.ladderTop(l.server()).flatMap(Trial::step);
            top.map(Trial.LadderStats::rssPerConnectionKiB).ifPresent(kib ->
                    bars.add(new CourseChart.Bar(l.server(), Math.max(0, kib), l.server().equals(highlight))));
            rows.row(l.server(), String.format("%,d", l.highestStepHeld()), String.format("%,d", l.mostHeld()), l.stop().limit().label,
                    top.map(t -> Unit.KIB.format(t.rssPerConnectionKiB())).orElse(""),
                    top.map(t -> Unit.KIB.format(t.heapPerConnectionKiB())).orElse(""),
                    top.map(t -> Unit.THREADS_PER_CONNECTION.format(t.threadsPerConnection())).orElse(""),
                    l.projections().isEmpty() ? "" : String.format("%,d (%s)", l.projections().get(0).connections(),
                            l.projections().get(0).binding().label));
        }
        String sentence = ladder.of(highlight).map(l -> headline(r, l)).orElse("");
        String chart = CourseChart.bars(figuresDir, "ladder-" + highlight, "RSS per connection at the highest step held",
                "KiB per connection", bars, true);
        return new PageFigure("ladder-" + highlight, title, sentence + rows.html(), chart,
                "bar chart: KiB of RSS per connection per server, at the highest step each held", Figures.source(data, "Scale run", r, data.scaleDir()),
                false);
    }

    private static String headline(BenchRun r, Ladder.ServerLadder l) {
        StringBuilder s = new StringBuilder("<p class=\"headline\">");
        if (l.highestStepHeld() > 0) {
            s.append(String.format("%s held <strong>%,d connections</strong> with every one answering, ", l.server(), l.highestStepHeld()));
        } else {
            s.append(String.format("%s held no step of the ladder, ", l.server()));
        }
        s.append(String.format("and stopped at %,d: <strong>%s</strong>. %s.", l.stop().atStep(), l.stop().limit().label,
                Html.escape(capitalised(l.stop().why()))));
        r.ladderTop(l.server()).flatMap(Trial::step).ifPresent(t -> s.append(String.format(" Each connection cost it %s of RSS and %s threads.",
                Unit.KIB.format(t.rssPerConnectionKiB()), Unit.THREADS_PER_CONNECTION.format(t.threadsPerConnection()))));
        if (!l.projections().isEmpty()) {
            Ladder.Projection p = l.projections().get(0);
            s.append(String.format(" On paper, a machine with %s would stop it at about <strong>%,d</strong> (%s): a projection from "
                    + "those costs, not a measurement.", Html.escape(p.machine()), p.connections(), p.binding().label));
        }
        return s.append("</p>").toString();
    }

    PageFigure rateAtTarget(String highlight) throws IOException {
        String title = "The highest rate under a latency target";
        if (data.capacity().isEmpty() || !(data.capacity().get().kind() instanceof BenchRun.Capacity capacity)) {
            return missing("rate-at-target-" + highlight, title, CAPACITY_COMMAND, "about six minutes");
        }
        BenchRun r = data.capacity().get();
        Target target = capacity.target();
        Target.Settings settings = target.settings();
        List<CourseChart.Bar> bars = new ArrayList<>();
        Table rows = Figures.serverTable("server", "highest rate meeting " + TargetReport.goal(settings), "p50", "p99", "note");
        for (Target.Answer a : target.servers()) {
            bars.add(new CourseChart.Bar(a.server(), a.rate() == null ? 0 : a.rate(), a.server().equals(highlight)));
            rows.row(a.server(), a.rate() == null ? "none" : (a.generatorLimited() ? "≥ " : "") + Unit.RATE.format(a.rate()),
                    Figures.micro(a.latencyMicros() == null ? null : a.latencyMicros().at(Percentile.P50)),
                    Figures.micro(a.latencyMicros() == null ? null : a.latencyMicros().at(Percentile.P99)), a.why() == null ? "" : a.why());
        }
        String sentence = target.of(highlight).map(a -> String.format("<p class=\"headline\">%s: <strong>%s</strong> with %s, "
                + "%,d connections of %d B, open loop.</p>", a.server(), Html.escape(TargetReport.answerText(a)),
                Html.escape(TargetReport.goal(settings)), settings.connections(), settings.size())).orElse("");
        String chart = CourseChart.bars(figuresDir, "rate-at-target-" + highlight, "Highest rate meeting " + TargetReport.goal(settings),
                "messages per second", bars, false);
        return new PageFigure("rate-at-target-" + highlight, title, sentence + rows.html(), chart,
                "bar chart: highest rate under the latency target per server", Figures.source(data, "Capacity run", r, data.capacityDir()), false);
    }

    private static String machine(Ladder ladder) {
        return ladder.servers().stream().flatMap(l -> l.projections().stream()).map(Ladder.Projection::machine).findFirst()
                .map(m -> m.substring(0, m.indexOf(',') > 0 ? m.indexOf(',') : m.length())).orElse("a larger machine");
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A figure whose run is missing: the command that produces it, and how long that takes. */
    static PageFigure missing(String id, String title, String command, String takes) {
        return new PageFigure(id, title, "<p>No run of <code>" + command + "</code> was found under results/, so this figure cannot be "
                + "drawn. Produce one with <code>" + command + "</code> (" + takes + ").</p>", null, null,
                "Missing: <code>" + command + "</code>", true);
    }
}
