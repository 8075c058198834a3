package echolab.bench.remote;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import echolab.bench.load.IntervalLog;
import echolab.bench.load.LatencySummary;
import echolab.bench.load.LoadReport;

/**
 * The hosts' measurements as one: message counts and rates summed; latencies merged by adding the hosts'
 * HdrHistogram interval histograms, second by second on this machine's time base (each host's interval
 * moved by its measured clock offset); the merged interval log holds the merged seconds (the corrected ones
 * untagged, as its primary histogram; the uncorrected tagged {@code uncorrected}) and every host's own (tags
 * {@code HOST.corrected}, ...).
 */
final class MergedLoad {

    /** One host's result as it arrived: its report, its interval log's text, its clock offset (its time minus ours). */
    record Part(String host, LoadReport report, String hlog, double offsetMillis) {
    }

    /** The merged report, the merged interval log's text, and the merged histograms (nanoseconds). */
    record Merged(LoadReport report, String hlog, long commonStartEpochMillis, Histogram corrected, Histogram uncorrected) {
    }

    private MergedLoad() {
    }

    static Merged of(List<Part> parts) {
        long commonStart = parts.stream().mapToLong(p -> p.report().windowStartEpochMillis() - Math.round(p.offsetMillis())).min()
                .orElse(0);
        Map<String, TreeMap<Long, Histogram>> seconds = new TreeMap<>();      // kind -> second -> merged histogram
        Map<String, Histogram> totals = new TreeMap<>();
        List<Histogram> hostIntervals = new ArrayList<>();
        for (Part p : parts) {
            HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(p.hlog().getBytes(StandardCharsets.UTF_8)));
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                Histogram h = (Histogram) e;
                String kind = h.getTag().substring(h.getTag().lastIndexOf('.') + 1);
                long start = h.getStartTimeStamp() - Math.round(p.offsetMillis());
                long end = h.getEndTimeStamp() - Math.round(p.offsetMillis());
                long second = Math.round((start - commonStart) / 1000.0);
                seconds.computeIfAbsent(kind, k -> new TreeMap<>()).computeIfAbsent(second, s -> newHistogram()).add(h);
                totals.computeIfAbsent(kind, k -> newHistogram()).add(h);
                Histogram own = h.copy();
                own.setTag(h.getTag());
                own.setStartTimeStamp(start);
                own.setEndTimeStamp(end);
                hostIntervals.add(own);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputComment("echo-lab load from " + RemoteLoad.hosts(parts.size()) + " (" + String.join(", ", parts.stream().map(Part::host).toList())
                    + "): latency in nanoseconds; untagged, the hosts' seconds merged (corrected), tag uncorrected the same "
                    + "uncorrected; HOST.corrected and HOST.uncorrected each host's own; times on the merging machine's clock");
            w.outputLogFormatVersion();
            w.outputStartTime(commonStart);
            w.setBaseTime(commonStart);
            w.outputBaseTime(commonStart);
            w.outputLegend();
            for (Map.Entry<String, TreeMap<Long, Histogram>> kind : seconds.entrySet()) {
                for (Map.Entry<Long, Histogram> s : kind.getValue().entrySet()) {
                    Histogram h = s.getValue();
                    h.setTag(kind.getKey().equals(IntervalLog.CORRECTED) ? null : kind.getKey());
                    h.setStartTimeStamp(commonStart + s.getKey() * 1000);
                    h.setEndTimeStamp(commonStart + (s.getKey() + 1) * 1000);
                    w.outputIntervalHistogram(h);
                }
            }
            hostIntervals.forEach(w::outputIntervalHistogram);
        }
        Histogram corrected = totals.getOrDefault(IntervalLog.CORRECTED, newHistogram());
        Histogram uncorrected = totals.get(IntervalLog.UNCORRECTED);
        return new Merged(report(parts, corrected, uncorrected, commonStart), bytes.toString(StandardCharsets.UTF_8), commonStart,
                corrected, uncorrected);
    }

    private static Histogram newHistogram() {
        return new Histogram(3);
    }

    private static LoadReport report(List<Part> parts, Histogram corrected, Histogram uncorrected, long commonStart) {
        List<LoadReport> r = parts.stream().map(Part::report).toList();
        LoadReport first = r.get(0);
        long messages = r.stream().mapToLong(LoadReport::messages).sum();
        String firstError = parts.stream().filter(p -> p.report().errors().first() != null)
                .map(p -> p.host() + ": " + p.report().errors().first()).findFirst().orElse(null);
        LoadReport.Errors errors = new LoadReport.Errors(sum(r, x -> x.errors().total()), sum(r, x -> x.errors().connectFailures()),
                sum(r, x -> x.errors().mismatches()), sum(r, x -> x.errors().shortReads()), sum(r, x -> x.errors().unexpectedCloses()),
                sum(r, x -> x.errors().resets()), sum(r, x -> x.errors().unansweredMessages()), firstError);
        double cpu = r.stream().mapToDouble(x -> x.generator().processCpuSeconds()).sum();
        double allocated = messages == 0 ? 0 : r.stream().mapToDouble(x -> x.generator().allocatedBytesPerMessage() * x.messages()).sum() / messages;
        LoadReport.Generator generator = new LoadReport.Generator(r.stream().mapToInt(x -> x.generator().threads()).sum(),
                r.stream().mapToDouble(x -> x.generator().busiestThreadLoad()).max().orElse(0), cpu,
                r.stream().mapToDouble(x -> x.generator().wallSeconds()).max().orElse(0), allocated,
                r.stream().anyMatch(x -> x.generator().generatorBound()), null);
        boolean open = first.targetRate() != null;
        return new LoadReport(first.mode(), first.host(), first.port(), (int) sum(r, LoadReport::connectionsRequested),
                sum(r, LoadReport::connectionsOpened), first.messageSize(), first.pipeline(), first.terminator(), first.warmupSeconds(),
                r.stream().mapToDouble(LoadReport::seconds).max().orElse(0), messages,
                r.stream().mapToDouble(LoadReport::messagesPerSecond).sum(), r.stream().mapToDouble(LoadReport::mibPerSecond).sum(),
                open ? r.stream().mapToDouble(LoadReport::targetRate).sum() : null,
                open ? r.stream().mapToDouble(LoadReport::achievedRate).sum() : null,
                LatencySummary.of(corrected), uncorrected == null ? null : LatencySummary.of(uncorrected), errors,
                r.stream().mapToDouble(LoadReport::rampUpSeconds).max().orElse(0), sum(r, LoadReport::answeredInRampUp),
                sum(r, LoadReport::starvedConnections), sum(r, LoadReport::starvedInWindow), sum(r, LoadReport::timedOutConnections),
                generator, commonStart, null);
    }

    private static long sum(List<LoadReport> reports, java.util.function.ToLongFunction<LoadReport> f) {
        return reports.stream().mapToLong(f).sum();
    }
}
