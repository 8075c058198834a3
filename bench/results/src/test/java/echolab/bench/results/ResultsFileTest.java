package echolab.bench.results;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which run is "the newest" for a command that was given none (the course): a bench run of the variants by
 * name is not the newest bench run, though it is the newest run of the variants; a full run, which measures
 * them with every other server, is both. And what kind of run a file holds: its ladder, its target, or neither.
 */
class ResultsFileTest {

    private static final Path ROOT = Path.of("../..");

    private static Path copy(Path results, Path from, String id, String profile) throws Exception {
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(from.resolve(ResultsFile.NAME).toFile());
        ((ObjectNode) run.get("run")).put("id", id).put("profile", profile);
        Path dir = results.resolve(id);
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve(ResultsFile.NAME).toFile(), run);
        return dir;
    }

    @Test
    void aRunOfTheVariantsIsNotTheNewestBenchRunButAFullRunIs(@TempDir Path results) throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        Path bench = copy(results, runs.benchDir(ROOT), "2030-01-01T000000-default", "default");
        Path variants = copy(results, runs.variantsDir(ROOT), "2030-01-02T000000-default", "default");
        assertEquals(bench, ResultsFile.newest(results).orElseThrow());
        assertEquals(variants, ResultsFile.newestWithVariants(results).orElseThrow());
        Path full = copy(results, runs.variantsDir(ROOT), "2030-01-03T000000-full", "full");
        assertEquals(full, ResultsFile.newest(results).orElseThrow());
        assertEquals(full, ResultsFile.newestWithVariants(results).orElseThrow());
    }

    @Test
    void aRunIsOfOneKindAsItsFileSaysAndAFileWithALadderAndATargetIsNotARun(@TempDir Path results) throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        assertInstanceOf(BenchRun.SideBySide.class, ResultsFile.read(runs.benchDir(ROOT)).kind());
        assertInstanceOf(BenchRun.Scale.class, ResultsFile.read(runs.scaleDir(ROOT)).kind());
        assertInstanceOf(BenchRun.Capacity.class, ResultsFile.read(runs.capacityDir(ROOT)).kind());

        ObjectNode scale = (ObjectNode) new ObjectMapper().readTree(runs.scaleDir(ROOT).resolve(ResultsFile.NAME).toFile());
        ObjectNode capacity = (ObjectNode) new ObjectMapper().readTree(runs.capacityDir(ROOT).resolve(ResultsFile.NAME).toFile());
        scale.set("target", capacity.get("target"));
        Path both = results.resolve("both");
        Files.createDirectories(both);
        new ObjectMapper().writeValue(both.resolve(ResultsFile.NAME).toFile(), scale);
        echolab.bench.base.NotARun e = assertThrows(echolab.bench.base.NotARun.class, () -> ResultsFile.read(both));
        assertTrue(e.getMessage().contains("a run has a ladder or a target, not both"), e.getMessage());

        Path again = results.resolve("again");
        Files.createDirectories(again);
        ResultsFile.write(again, ResultsFile.read(runs.scaleDir(ROOT)));
        var before = new ObjectMapper().readTree(runs.scaleDir(ROOT).resolve(ResultsFile.NAME).toFile());
        var after = new ObjectMapper().readTree(again.resolve(ResultsFile.NAME).toFile());
        assertEquals(before.get("ladder"), after.get("ladder"), "a scale run written again keeps its ladder");
        assertTrue(after.has("target") && after.get("target").isNull(), "and a null target");
        assertTrue(!after.has("kind"), "the kind is said by the fields, not a field of its own: " + after.fieldNames());
    }

    @Test
    void aTrialReadAndWrittenAgainIsTheSameJsonAndEachKindOfTrialHasItsOwnFigures(@TempDir Path results) throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        Path again = results.resolve("again");
        Files.createDirectories(again);
        BenchRun bench = ResultsFile.read(runs.benchDir(ROOT));
        ResultsFile.write(again, bench);
        var before = new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        var after = (ObjectNode) new ObjectMapper().readTree(again.resolve(ResultsFile.NAME).toFile());
        if (!before.get("environment").has("python")) {                   // added since: written as null
            assertTrue(((ObjectNode) after.get("environment")).remove("python").isNull());
        }
        assertEquals(before, after, "the reference run, read and written again");

        for (Scenario sc : bench.scenarios()) {
            for (Trial t : sc.trials()) {
                if (t.status() == Trial.Status.FAILED) {
                    continue;
                }
                switch (sc.kind()) {
                    case OPEN -> assertInstanceOf(Trial.Histograms.Open.class, t.histograms(), sc.id());
                    default -> assertInstanceOf(Trial.Histograms.Closed.class, t.histograms(), sc.id());
                }
                Class<?> figures = switch (sc.kind()) {
                    case SCALE -> Trial.Figures.Idle.class;
                    case CAPACITY -> Trial.Figures.AgainstNativeClient.class;
                    case HELD -> t.round() == 1 && t.againstNativeClient().isPresent() ? Trial.Figures.AgainstNativeClient.class
                            : Trial.Figures.Plain.class;
                    default -> Trial.Figures.Plain.class;
                };
                assertInstanceOf(figures, t.figures(), sc.id() + " " + t.server());
            }
        }
        assertTrue(bench.scenario(Scenario.Kind.HELD).orElseThrow().trials().stream().anyMatch(t -> t.againstNativeClient().isPresent()),
                "the first held round sets the generator beside the native client");
        assertTrue(ResultsFile.read(runs.scaleDir(ROOT)).scenarios().stream().flatMap(sc -> sc.trials().stream())
                .allMatch(t -> t.step().isPresent() && t.histograms() instanceof Trial.Histograms.None), "a ladder step: its figures, no histogram");
        assertTrue(ResultsFile.read(runs.capacityDir(ROOT)).scenarios().stream().flatMap(sc -> sc.trials().stream())
                .allMatch(t -> t.point().isPresent() && t.histograms() instanceof Trial.Histograms.Open), "a search point: its figures, an open loop's histograms");
    }

    @Test
    void aTrialWithTheFiguresOfTwoScenariosOrHalfAnOpenLoopsHistogramsIsNotARun(@TempDir Path results) throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        ObjectNode scaleTrial = firstTrial(run, "scale");
        scaleTrial.set("search", new ObjectMapper().readTree(
                "{\"phase\": \"grow\", \"rate\": 1000, \"achievedRate\": 1000, \"latencyMicros\": 50, \"meets\": true, "
                        + "\"generatorLimited\": false, \"why\": null}"));
        echolab.bench.base.NotARun twice = assertThrows(echolab.bench.base.NotARun.class, () -> ResultsFile.read(written(results, "two", run)));
        assertTrue(twice.getMessage().contains("more than one scenario"), twice.getMessage());

        ObjectNode other = (ObjectNode) new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        firstTrial(other, "open").putNull("spectrum");
        echolab.bench.base.NotARun half = assertThrows(echolab.bench.base.NotARun.class, () -> ResultsFile.read(written(results, "half", other)));
        assertTrue(half.getMessage().contains("spectrum"), half.getMessage());
    }

    @Test
    void aFileOfAnOlderEchoLabWithoutTheCpuClockReadsAsTheTickClockItUsed(@TempDir Path results) throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        int removed = 0;
        for (var sc : run.get("scenarios")) {
            for (var t : sc.get("trials")) {
                if (t.get("serverStats") instanceof ObjectNode stats && stats.remove("cpuClock") != null) {
                    removed++;
                }
            }
        }
        assertTrue(removed > 0);
        BenchRun older = ResultsFile.read(written(results, "older", run));
        var clocks = older.scenarios().stream().flatMap(sc -> sc.trials().stream()).map(Trial::serverStats)
                .filter(java.util.Objects::nonNull).map(Trial.ServerStats::cpuClock).toList();
        assertEquals(removed, clocks.size());
        assertTrue(clocks.stream().allMatch(c -> c == CpuClock.TICKS), "an older file's clock: " + clocks);
        assertTrue(ResultsFile.read(runs.benchDir(ROOT)).scenarios().stream().flatMap(sc -> sc.trials().stream())
                .map(Trial::serverStats).filter(java.util.Objects::nonNull).allMatch(st -> st.cpuClock() == CpuClock.CGROUP),
                "a file that names its clock keeps it");
    }

    private static ObjectNode firstTrial(ObjectNode run, String kind) {
        for (var sc : run.get("scenarios")) {
            if (sc.get("kind").asText().equals(kind)) {
                return (ObjectNode) sc.get("trials").get(0);
            }
        }
        throw new AssertionError("no " + kind + " scenario");
    }

    private static Path written(Path results, String name, ObjectNode run) throws Exception {
        Path dir = results.resolve(name);
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve(ResultsFile.NAME).toFile(), run);
        return dir;
    }
}
