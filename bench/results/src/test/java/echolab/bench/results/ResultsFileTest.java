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
}
