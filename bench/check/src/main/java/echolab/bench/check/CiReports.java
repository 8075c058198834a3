package echolab.bench.check;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import echolab.bench.check.Gate.Row;
import echolab.bench.check.Gate.Status;
import echolab.bench.check.Measurer.Side;
import echolab.bench.base.Json;
import echolab.bench.base.RunOutput;
import echolab.bench.results.Format;

/**
 * The gate's outcome in the formats CI systems read, so that a project sees it where it already looks:
 * JUnit XML (shown as a test report by GitHub, GitLab, Jenkins and Buildkite alike), the Bencher Metric
 * Format, and github-action-benchmark's {@code customSmallerIsBetter} list. Every metric the gate compares
 * is oriented so that higher is worse, which is what both benchmark formats expect. Each file is written
 * whole or not at all.
 */
final class CiReports {

    private CiReports() {
    }

    /** The versions compared, as every report names them. */
    record Versions(String baseRevision, String baseCommit, String candidateCommit, boolean candidateDirty) {

        String candidate() {
            return (candidateCommit == null ? "working tree" : candidateCommit.substring(0, Math.min(12, candidateCommit.length())))
                    + (candidateDirty ? " with uncommitted changes" : "");
        }
    }

    /**
     * JUnit XML: a suite per server, a test case per metric the gate judges (its name the metric's key, so
     * that a CI system follows it from run to run). FAIL is a failure; NOISY an error (the run could not
     * have seen a regression, so it proves nothing); INCONCLUSIVE and a metric one version does not report
     * are skipped, with why. Every case carries its figures in system-out. Reported-only metrics are not
     * test cases: the gate does not judge them.
     */
    static void junit(Path file, boolean replace, Versions versions, Gate.Outcome o) throws IOException {
        Map<String, List<Row>> byServer = new LinkedHashMap<>();
        o.rows().stream().filter(r -> r.metric().role.steers())
                .forEach(r -> byServer.computeIfAbsent(r.server(), k -> new ArrayList<>()).add(r));
        RunOutput.write(file, replace, "--junit", into -> {
            try (OutputStream out = Files.newOutputStream(into)) {
                XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
                x.writeStartDocument("UTF-8", "1.0");
                x.writeCharacters("\n");
                x.writeStartElement("testsuites");
                x.writeAttribute("name", "echo-lab check");
                counts(x, byServer.values().stream().flatMap(List::stream).toList());
                for (Map.Entry<String, List<Row>> server : byServer.entrySet()) {
                    x.writeCharacters("\n  ");
                    x.writeStartElement("testsuite");
                    x.writeAttribute("name", "echo-lab check " + server.getKey());
                    counts(x, server.getValue());
                    x.writeCharacters("\n    ");
                    x.writeStartElement("properties");
                    property(x, "base", versions.baseRevision() + " (" + versions.baseCommit() + ")");
                    property(x, "candidate", versions.candidate());
                    property(x, "rounds", String.valueOf(o.rounds()));
                    property(x, "cpu clock", o.cpuClock());
                    property(x, "target", GateReport.percent(o.plan().target()));
                    property(x, "no regression larger than", GateReport.percent(o.largestPrimaryBound()));
                    property(x, "budget", Format.seconds(o.plan().budget().limit().toSeconds()));
                    property(x, "elapsed", Format.seconds(o.elapsed().toSeconds()));
                    x.writeCharacters("\n    ");
                    x.writeEndElement();
                    for (Row row : server.getValue()) {
                        testCase(x, row, o);
                    }
                    x.writeCharacters("\n  ");
                    x.writeEndElement();
                }
                x.writeCharacters("\n");
                x.writeEndElement();
                x.writeCharacters("\n");
                x.writeEndDocument();
                x.close();
            } catch (XMLStreamException e) {
                throw new IOException("writing " + file + ": " + e.getMessage(), e);
            }
        });
    }

    private static void counts(XMLStreamWriter x, List<Row> rows) throws XMLStreamException {
        x.writeAttribute("tests", String.valueOf(rows.size()));
        x.writeAttribute("failures", String.valueOf(rows.stream().filter(r -> r.status() == Status.FAIL).count()));
        x.writeAttribute("errors", String.valueOf(rows.stream().filter(r -> r.status() == Status.NOISY).count()));
        x.writeAttribute("skipped", String.valueOf(rows.stream()
                .filter(r -> !r.judged() || r.status() == Status.INCONCLUSIVE).count()));
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n      ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    private static void testCase(XMLStreamWriter x, Row row, Gate.Outcome o) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "echolab.check." + row.server());
        x.writeAttribute("name", row.metric().key);
        if (!row.judged()) {
            outcome(x, "skipped", null, "not applicable: " + row.notApplicable());
        } else {
            PairedRatio.Estimate r = row.judgement().result();
            switch (row.status()) {
                case FAIL -> outcome(x, "failure", "regression", String.format("%s %+.1f%% (90%%: %+.1f%% to %+.1f%%), confirmed at round %d",
                        row.metric().description, 100 * r.change(), 100 * r.low(), 100 * r.high(), row.judgement().confirmedAt()));
                case NOISY -> outcome(x, "error", "noisy", String.format("NOISY: could not rule out a %d%% regression (only one larger than "
                        + "%+.1f%%); rerun with a larger --budget, on a quieter runner, pinned", PairedRatio.NOISY_ABOVE_PERCENT, 100 * r.high()));
                case INCONCLUSIVE -> outcome(x, "skipped", null, String.format("inconclusive after %d rounds: %+.1f%% (90%%: %+.1f%% to "
                        + "%+.1f%%)", r.rounds(), 100 * r.change(), 100 * r.low(), 100 * r.high()));
                default -> { }
            }
            x.writeCharacters("\n      ");
            x.writeStartElement("system-out");
            x.writeCharacters(detail(row, o));
            x.writeEndElement();
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static void outcome(XMLStreamWriter x, String element, String type, String message) throws XMLStreamException {
        x.writeCharacters("\n      ");
        x.writeEmptyElement(element);
        if (type != null) {
            x.writeAttribute("type", type);
        }
        x.writeAttribute("message", message);
    }

    /** One row's figures in a sentence: the medians, the change with its interval, the bound it rules out against its target, the MDE and the verdict. */
    static String detail(Row row, Gate.Outcome o) {
        PairedRatio.Estimate r = row.judgement().result();
        return String.format("%s: base %s, candidate %s %s (medians over %d rounds); change %+.1f%% (90%%: %+.1f%% to %+.1f%%); "
                        + "no regression larger than %+.1f%% (target %s); MDE %.1f%%; %s", row.metric().description,
                row.metric().unit.format(GateReport.median(row, Side.BASE)),
                row.metric().unit.format(GateReport.median(row, Side.CANDIDATE)), row.metric().unit.label, r.rounds(),
                100 * r.change(), 100 * r.low(), 100 * r.high(), 100 * r.high(),
                GateReport.percent(o.plan().rule(row.metric()).passBelowPercent() / 100), 100 * r.mde(), row.status());
    }

    /** One measure of the Bencher Metric Format: a value and, where known, its bounds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BmfMetric(double value, @JsonProperty("lower_value") Double lower, @JsonProperty("upper_value") Double upper) {
    }

    /**
     * Bencher Metric Format: a benchmark per server ({@code echo-lab/selector}), a measure per metric judged
     * or reported (the candidate's median, bounded by its lowest and highest round), and beside each a
     * {@code -change-percent} measure: the gate's estimate with its 90% interval, which is what a threshold
     * should watch, as the runner's noise is cancelled in it. A benchmark {@code echo-lab/gate} holds the run's
     * {@code bound-percent} (no regression of time or CPU larger than it) and {@code target-percent}.
     */
    static void bmf(Path file, boolean replace, Gate.Outcome o) throws IOException {
        Map<String, Map<String, BmfMetric>> out = new LinkedHashMap<>();
        for (Row row : o.judged()) {
            PairedRatio.Estimate r = row.judgement().result();
            Map<String, BmfMetric> measures = out.computeIfAbsent("echo-lab/" + row.server(), k -> new LinkedHashMap<>());
            List<Double> candidate = row.pairs().stream().map(Gate.Pair::candidate).toList();
            measures.put(slug(row.metric()), new BmfMetric(GateReport.median(row, Side.CANDIDATE),
                    candidate.stream().min(Double::compare).orElse(null), candidate.stream().max(Double::compare).orElse(null)));
            if (Double.isFinite(r.change())) {
                measures.put(slug(row.metric()) + "-change-percent", new BmfMetric(100 * r.change(), finite(100 * r.low()),
                        finite(100 * r.high())));
            }
        }
        Map<String, BmfMetric> gate = new LinkedHashMap<>();
        gate.put("bound-percent", new BmfMetric(100 * o.largestPrimaryBound(), null, null));
        gate.put("target-percent", new BmfMetric(100 * o.plan().target(), null, null));
        out.put("echo-lab/gate", gate);
        RunOutput.write(file, replace, "--bmf", into -> Json.PRETTY.writeValue(into.toFile(), out));
    }

    /** One entry of github-action-benchmark's {@code customSmallerIsBetter} list. */
    record GithubBenchmark(String name, String unit, double value, String range, String extra) {
    }

    /**
     * github-action-benchmark's {@code customSmallerIsBetter}: an entry per metric the gate judges (the
     * candidate's median, its spread over the rounds as the range, and the gate's own verdict beside it).
     * Reported-only metrics are left out: they swing with the runner, and that action alerts on any swing.
     */
    static void githubBenchmark(Path file, boolean replace, Versions versions, Gate.Outcome o) throws IOException {
        List<GithubBenchmark> out = new ArrayList<>();
        for (Row row : o.judged()) {
            if (!row.metric().role.steers()) {
                continue;
            }
            List<Double> candidate = row.pairs().stream().map(Gate.Pair::candidate).toList();
            double spread = candidate.stream().mapToDouble(v -> v).max().orElse(0) - candidate.stream().mapToDouble(v -> v).min().orElse(0);
            out.add(new GithubBenchmark(row.server() + " " + row.metric().key, row.metric().unit.label,
                    GateReport.median(row, Side.CANDIDATE), "± " + row.metric().unit.format(spread / 2),
                    detail(row, o) + "\nvs " + versions.baseRevision() + " (" + versions.baseCommit().substring(0, 12) + ")"));
        }
        RunOutput.write(file, replace, "--github-benchmark", into -> Json.PRETTY.writeValue(into.toFile(), out));
    }

    /** A Bencher measure's slug: the metric's key in kebab case ({@code cpu-us-per-message}). */
    static String slug(Metric metric) {
        return metric.key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
