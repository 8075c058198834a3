package echolab.bench.results;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which run is "the newest" for a command that was given none (the course): a bench run of the variants by
 * name is not the newest bench run, though it is the newest run of the variants; a full run, which measures
 * them with every other server, is both.
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
}
