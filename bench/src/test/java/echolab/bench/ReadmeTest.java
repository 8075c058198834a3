package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.SummaryMarkdown;

/** The README's figures are the files' and the committed run's own: a changed file or a new run that the README missed fails here. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theLineCountsOfTheModelsTableAreTheFiles() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (ServerCatalogue.Entry e : ServerCatalogue.teaching()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(e.module()) + "` \\|[^|]*\\|[^|]*\\| (\\d+) \\|").matcher(readme);
            assertTrue(row.find(), "no row for " + e.module() + " in the README's table of the models");
            assertEquals(Files.readAllLines(ROOT.resolve(e.source())).size(), Integer.parseInt(row.group(1)),
                    "lines of " + e.source() + " in the README");
        }
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
    void theReferenceResultsAreTheNewestCommittedRunsMainTable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Path newest = ResultsFile.newest(ROOT.resolve("results")).orElseThrow();
        BenchRun run = ResultsFile.read(newest);
        assertTrue(readme.contains("(results/" + newest.getFileName() + "/summary.md)"), "the README names " + newest.getFileName());
        assertTrue(readme.contains(run.environment().oneLine().replace(" (with uncommitted changes)", "")),
                "the README names the machine of " + newest.getFileName() + ": " + run.environment().oneLine());
        for (String line : SummaryMarkdown.mainTable(run).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
            assertTrue(readme.contains(line), "the README's main table lacks this row of " + newest.getFileName() + ":\n" + line);
        }
    }
}
