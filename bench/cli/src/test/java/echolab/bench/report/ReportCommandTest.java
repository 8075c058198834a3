package echolab.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import echolab.bench.results.BenchRun;
import echolab.bench.results.ReferenceRuns;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.ResultsSchema;
import echolab.bench.results.SummaryMarkdown;

/** `report` against the committed reference run, and the schema and usage errors around it. */
class ReportCommandTest {

    /** The committed reference run, as results/reference.json names it. */
    static Path reference() throws Exception {
        return ReferenceRuns.of(Path.of("../..")).benchDir(Path.of("../.."));
    }

    /** Runs a command of bench.jar; returns its exit code and what it wrote to stderr. */
    static Object[] run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = echolab.bench.Main.commandLine().execute(args);
            return new Object[] {exit, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void theCommittedReferenceRunsRenderToTheirCommittedSummaries() throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(Path.of("../.."));
        for (Path run : List.of(reference(), runs.scaleDir(Path.of("../..")), runs.capacityDir(Path.of("../..")),
                runs.variantsDir(Path.of("../..")))) {
            ResultsSchema.assertValid(run.resolve("results.json"));
            assertEquals(Files.readString(run.resolve("summary.md")), SummaryMarkdown.render(ResultsFile.read(run)),
                    "summary.md of " + run + " is not what its results.json renders: run ./echolab report " + run);
        }
    }

    @Test
    void reportRewritesSummaryAndChartsFromResultsJsonAlone(@TempDir Path copy) throws Exception {
        Files.copy(reference().resolve("results.json"), copy.resolve("results.json"));
        Object[] outcome = run("report", copy.toString());
        assertEquals(0, outcome[0], (String) outcome[1]);
        assertEquals(Files.readString(reference().resolve("summary.md")), Files.readString(copy.resolve("summary.md")));
        for (String chart : new String[] {"throughput", "p99", "spectrum", "rss-per-connection"}) {
            assertTrue(Files.size(copy.resolve(chart + ".png")) > 0 && Files.size(copy.resolve(chart + ".svg")) > 0, chart);
        }
    }

    @Test
    void theSchemaRejectsADocumentThatBreaksIt(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(reference().resolve("results.json").toFile());
        ObjectNode trial = (ObjectNode) doc.path("scenarios").get(0).path("trials").get(0);
        trial.put("status", "splendid");
        json.writeValue(dir.resolve("results.json").toFile(), doc);
        assertThrows(AssertionError.class, () -> ResultsSchema.assertValid(dir.resolve("results.json")));

        trial.put("status", "ok");
        trial.remove("load");
        json.writeValue(dir.resolve("results.json").toFile(), doc);
        assertThrows(AssertionError.class, () -> ResultsSchema.assertValid(dir.resolve("results.json")));
    }

    @Test
    void aFolderThatIsNotARunIsOneLineAndExitTwo(@TempDir Path empty) {
        Object[] outcome = run("report", empty.toString());
        assertEquals(2, outcome[0]);
        assertEquals("report: " + empty + " is not a bench run: no results.json in it", ((String) outcome[1]).strip());
    }

    @Test
    void anotherSchemaVersionIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("results.json"), "{\"schema\": \"" + BenchRun.SCHEMA + "\", \"schemaVersion\": 1}");
        Object[] outcome = run("report", dir.toString());
        assertEquals(2, outcome[0]);
        String err = ((String) outcome[1]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("has schema version 1; this echo-lab reads version 2"), err);
    }
}
