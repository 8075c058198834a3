package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ReferenceRuns;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.SummaryMarkdown;

/**
 * The README's figures are the files' and the committed reference runs' own (results/reference.json): a
 * changed file or a new reference that the README missed fails here; a user's own runs beside them do not.
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theLineCountsOfTheModelsTableAreTheFiles() throws Exception {
        assertLineCountsAreTheFiles(ROOT);
    }

    @Test
    void everyExerciseIsInTheReadmesTable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (echolab.bench.exercise.Exercise e : echolab.bench.exercise.Exercise.all()) {
            assertTrue(readme.contains("| `" + e.name() + "` | " + e.server() + ", " + e.section() + " | " + e.title() + " |"),
                    "the README's table of exercises lacks " + e.name());
        }
    }

    @Test
    void theReadmeShowsTheReferenceRunsMainTable() throws Exception {
        assertReadmeShowsTheReferenceRuns(ROOT);
    }

    /**
     * A user's own run, newer than the reference and beside it under results/, changes nothing the README
     * checks see; naming it the reference (without updating the README) is what fails them.
     */
    @Test
    void aNewerRunBesideTheReferenceLeavesTheChecksGreen(@TempDir Path scratch) throws Exception {
        Path root = scratch.resolve("checkout");
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        copy(ROOT.resolve("README.md"), root.resolve("README.md"));
        copy(ROOT.resolve("results").resolve(ReferenceRuns.FILE), root.resolve("results").resolve(ReferenceRuns.FILE));
        copy(runs.benchDir(ROOT).resolve(ResultsFile.NAME), runs.benchDir(root).resolve(ResultsFile.NAME));
        copy(runs.jmhFile(ROOT), runs.jmhFile(root));
        copy(runs.allocFile(ROOT), runs.allocFile(root));
        copy(runs.scaleDir(ROOT).resolve(ResultsFile.NAME), runs.scaleDir(root).resolve(ResultsFile.NAME));
        copy(runs.capacityDir(ROOT).resolve(ResultsFile.NAME), runs.capacityDir(root).resolve(ResultsFile.NAME));
        copy(runs.variantsDir(ROOT).resolve(ResultsFile.NAME), runs.variantsDir(root).resolve(ResultsFile.NAME));
        for (ServerCatalogue.Entry e : ServerCatalogue.teaching()) {
            copy(ROOT.resolve(e.source()), root.resolve(e.source()));
        }
        String newer = "2999-12-31T2359-default";
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        ((ObjectNode) run.get("run")).put("id", newer).put("startedAt", "2999-12-31T23:59:00Z");
        Path newerDir = root.resolve("results").resolve(newer);
        Files.createDirectories(newerDir);
        new ObjectMapper().writeValue(newerDir.resolve(ResultsFile.NAME).toFile(), run);
        assertEquals(newerDir, ResultsFile.newest(root.resolve("results")).orElseThrow(), "the copy is the newest run");

        assertLineCountsAreTheFiles(root);
        assertReadmeShowsTheReferenceRuns(root);

        Files.writeString(root.resolve("results").resolve(ReferenceRuns.FILE),
                "{\"bench\": \"" + newer + "\", \"jmh\": \"" + runs.jmh() + "\", \"alloc\": \"" + runs.alloc()
                        + "\", \"scale\": \"" + runs.scale() + "\", \"capacity\": \"" + runs.capacity()
                        + "\", \"variants\": \"" + runs.variants() + "\"}");
        AssertionError e = assertThrows(AssertionError.class, () -> assertReadmeShowsTheReferenceRuns(root));
        assertTrue(e.getMessage().contains("the README names " + newer), e.getMessage());
    }

    private static void assertLineCountsAreTheFiles(Path root) throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        for (ServerCatalogue.Entry e : ServerCatalogue.teaching()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(e.module()) + "` \\|[^|]*\\|[^|]*\\| (\\d+) \\|").matcher(readme);
            assertTrue(row.find(), "no row for " + e.module() + " in the README's table of the models");
            assertEquals(Files.readAllLines(root.resolve(e.source())).size(), Integer.parseInt(row.group(1)),
                    "lines of " + e.source() + " in the README");
        }
    }

    /**
     * The README names each reference run and the machine of the bench run, and holds the main tables of the
     * bench, scale, capacity and variants runs row for row.
     */
    private static void assertReadmeShowsTheReferenceRuns(Path root) throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        ReferenceRuns runs = ReferenceRuns.of(root);
        BenchRun run = ResultsFile.read(runs.benchDir(root));
        assertTrue(readme.contains("(results/" + runs.bench() + "/summary.md)"), "the README names " + runs.bench());
        assertTrue(readme.contains("results/" + runs.alloc()), "the README names " + runs.alloc());
        assertTrue(Files.isRegularFile(runs.jmhFile(root)), "no reference JMH file " + runs.jmhFile(root));
        assertTrue(readme.contains(run.environment().oneLine().replace(" (with uncommitted changes)", "")),
                "the README names the machine of " + runs.bench() + ": " + run.environment().oneLine());
        for (Path dir : List.of(runs.benchDir(root), runs.scaleDir(root), runs.capacityDir(root), runs.variantsDir(root))) {
            String name = root.resolve("results").relativize(dir).toString();
            assertTrue(readme.contains("(results/" + name + "/summary.md)"), "the README names " + name);
            for (String line : SummaryMarkdown.mainTable(ResultsFile.read(dir)).lines()
                    .filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
                assertTrue(readme.contains(line), "the README's table of " + name + " lacks this row:\n" + line);
            }
        }
    }

    @Test
    void theJmhReadmeDescribesTheReferenceJmhRun() throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        String jmhReadme = Files.readString(ROOT.resolve("results/jmh/README.md"));
        String name = runs.jmhFile(ROOT).getFileName().toString();
        assertTrue(jmhReadme.contains("The committed reference run, `" + name + "`"), "results/jmh/README.md describes " + name);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}
