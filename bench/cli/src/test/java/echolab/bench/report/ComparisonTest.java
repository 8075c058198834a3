package echolab.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LoadReport;
import echolab.bench.results.BenchRun;
import echolab.bench.results.CpuClock;
import echolab.bench.results.Environment;
import echolab.bench.results.Figure;
import echolab.bench.results.ReferenceRuns;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.Scenario;
import echolab.bench.results.Trial;

/** compare on runs whose answer is known: ranges that overlap are noise, ranges apart are a change, environments are told apart. */
class ComparisonTest {

    private static Trial trial(String server, int round, double msgPerSecond) {
        return trial(server, round, msgPerSecond, new Trial.ServerStats(50_000, 18, 1, 7.0, 100, null, CpuClock.CGROUP, null, null));
    }

    private static Trial trial(String server, int round, double msgPerSecond, Trial.ServerStats stats) {
        LoadReport load = new LoadReport("closed", "127.0.0.1", 1, 100, 100, 64, 1, null, 0.5, 1.5, (long) (msgPerSecond * 1.5),
                msgPerSecond, msgPerSecond * 64 / 1048576, null, null, new LatencySummary(1, 500, 450, 800, 1000, 2000, 3000, 4000),
                null, new LoadReport.Errors(0, 0, 0, 0, 0, 0, 0, null), 0.01, 100, 0, 0, 0,
                new LoadReport.Generator(1, 0.5, 1, 2, 0, false, null), null, null);
        return new Trial(server, round, Trial.Status.OK, null, load, stats, Trial.Histograms.NONE, Trial.Figures.PLAIN);
    }

    private static BenchRun run(String id, int cores, double... rounds) {
        return run(id, cores, List.of(), rounds);
    }

    /** {@code more}: further trials of other servers, in the same closed-loop scenario. */
    private static BenchRun run(String id, int cores, List<Trial> more, double... rounds) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < rounds.length; i++) {
            trials.add(trial("selector", i + 1, rounds[i]));
        }
        trials.addAll(more);
        List<BenchRun.ServerEntry> servers = new ArrayList<>(List.of(new BenchRun.ServerEntry("selector", "teaching", false, List.of(), null, null)));
        more.stream().map(Trial::server).distinct()
                .forEach(name -> servers.add(new BenchRun.ServerEntry(name, "teaching", false, List.of(), null, null)));
        Environment env = new Environment("OpenJDK 25", "vendor", List.of(), List.of(), "cpu", cores, "Linux", "6.18", 1L,
                new Environment.Pinning(true, "0", "1"), "abc", false, null);
        return new BenchRun(BenchRun.SCHEMA, BenchRun.SCHEMA_VERSION,
                new BenchRun.RunInfo(id, "default", "./echolab bench", "2026-11-23T00:00:00Z", "2026-11-23T00:04:00Z", true),
                env, new BenchRun.Settings(List.of(100), List.of(64), 0.5, 1.5, rounds.length, 100, 3, null, 1000, null),
                servers,
                List.of(new Scenario("closed-c100-s64", Scenario.Kind.CLOSED, 100, 64, null, trials)), new BenchRun.SideBySide());
    }

    private static Comparison.Row throughput(Comparison c) {
        return c.rows().stream().filter(r -> r.figure().startsWith("msg/s")).findFirst().orElseThrow();
    }

    @Test
    void overlappingRangesAreInsideTheNoise() {
        Comparison.Row row = throughput(new Comparison(run("a", 2, 100_000, 110_000, 105_000), run("b", 2, 108_000, 112_000, 100_000)));
        assertEquals(105_000, row.a());
        assertEquals(108_000, row.b());
        assertEquals(108_000 / 105_000.0, row.ratio(), 1e-9);
        assertTrue(row.insideNoise());
        assertEquals("~ inside the noise", row.verdict());
    }

    @Test
    void rangesApartAreAChangeInTheRightDirection() {
        Comparison faster = new Comparison(run("a", 2, 100_000, 110_000, 105_000), run("b", 2, 150_000, 155_000, 160_000));
        assertEquals("better", throughput(faster).verdict());
        Comparison.Row p99 = faster.rows().stream().filter(r -> r.figure().startsWith("p99")).findFirst().orElseThrow();
        assertEquals(1.0, p99.ratio(), 1e-9);
        Comparison slower = new Comparison(run("a", 2, 150_000, 155_000, 160_000), run("b", 2, 100_000, 110_000, 105_000));
        assertEquals("**worse**", throughput(slower).verdict());
    }

    @Test
    void aFigureOneServerLacksLeavesAGapInTheChartNotACrash(@TempDir Path dir) throws Exception {
        // sync's trials carry no server statistics: its CPU row is missing, the other figures are there.
        List<Trial> sync = List.of(trial("sync", 1, 16_000, null));
        Comparison c = new Comparison(run("a", 2, sync, 100_000), run("b", 2, sync, 110_000));
        assertTrue(c.rows().stream().anyMatch(r -> r.server().equals("sync") && r.figure().startsWith("msg/s")));
        assertTrue(c.rows().stream().noneMatch(r -> r.server().equals("sync") && r.figure().startsWith("server CPU")));
        echolab.bench.results.Charts.save(dir, "compare", c.chart());
        assertTrue(java.nio.file.Files.size(dir.resolve("compare.png")) > 1000);
    }

    @Test
    void scaleAndCapacityRunsCompareOnTheirOwnFigures() throws Exception {
        ReferenceRuns refs = ReferenceRuns.of(Path.of("../.."));
        BenchRun scale = ResultsFile.read(refs.scaleDir(Path.of("../..")));
        List<Comparison.Row> ladder = new Comparison(scale, scale).rows();
        Comparison.Row held = ladder.stream().filter(r -> r.server().equals("thread-per-conn") && r.figure().equals(Figure.LADDER_HELD.label))
                .findFirst().orElseThrow();
        assertEquals(((BenchRun.Scale) scale.kind()).ladder().of("thread-per-conn").orElseThrow().highestStepHeld(), held.a());
        assertEquals(1.0, held.ratio());
        assertTrue(ladder.stream().anyMatch(r -> r.figure().equals(Figure.LADDER_RSS_PER_CONNECTION.label)));
        BenchRun capacity = ResultsFile.read(refs.capacityDir(Path.of("../..")));
        Comparison.Row rate = new Comparison(capacity, capacity).rows().stream()
                .filter(r -> r.server().equals("selector") && r.figure().equals(Figure.RATE_AT_TARGET.label)).findFirst().orElseThrow();
        assertEquals(((BenchRun.Capacity) capacity.kind()).target().of("selector").orElseThrow().rate(), rate.a());
    }

    @Test
    void aSingleRoundHasNoKnownNoise() {
        assertEquals("noise unknown (1 round)", throughput(new Comparison(run("a", 2, 100_000), run("b", 2, 200_000))).verdict());
    }

    @Test
    void environmentsThatDifferAreCalledOut() {
        Comparison c = new Comparison(run("a", 2, 100_000), run("b", 4, 100_000));
        assertEquals(List.of("cores differ: 2 vs 4"), c.warnings());
        assertTrue(c.markdown().contains("> **Warning:** cores differ: 2 vs 4"), c.markdown());
        assertTrue(new Comparison(run("a", 2, 1), run("b", 2, 1)).warnings().isEmpty());
    }

    @Test
    void aFolderThatIsNotARunIsOneLineAndExitTwo(@TempDir Path empty) {
        Object[] outcome = ReportCommandTest.run("compare", empty.toString(), empty.toString());
        assertEquals(2, outcome[0]);
        assertEquals("compare: " + empty + " is not a bench run: no results.json in it", ((String) outcome[1]).strip());
    }
}
