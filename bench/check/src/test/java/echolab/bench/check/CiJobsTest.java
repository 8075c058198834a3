package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import picocli.CommandLine;

/**
 * The CI jobs in docs/ci/ stay true to the gate: each is valid YAML, every {@code ./echolab check} in it
 * parses with the options the gate has today, and the report each job hands to its CI system is the file
 * it asked the gate to write.
 */
class CiJobsTest {

    private static final Path DOCS = Path.of("../..", "docs", "ci");

    /** Every {@code ./echolab check} in the job, parsed as the gate would parse it. */
    private static List<CheckCommand> checks(JsonNode job) {
        List<CheckCommand> out = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        collect(job, commands);
        for (String command : commands) {
            String line = command.replaceAll("\\$\\{\\{.*?}}", "REVISION").replaceAll("\\s+", " ").strip();
            List<String> words = Arrays.stream(line.substring(line.indexOf("./echolab check") + "./echolab check".length()).strip().split(" "))
                    .map(w -> w.replaceAll("^\"|\"$", "")).toList();
            CheckCommand check = new CheckCommand();
            new CommandLine(check).parseArgs(words.toArray(String[]::new));     // an option the gate does not have throws
            out.add(check);
        }
        return out;
    }

    private static void collect(JsonNode node, List<String> commands) {
        if (node.isTextual() && node.asText().contains("./echolab check")) {
            commands.add(node.asText());
        }
        node.forEach(child -> collect(child, commands));
    }

    private static JsonNode read(String file) throws IOException {
        return new YAMLMapper().readTree(DOCS.resolve(file).toFile());
    }

    @Test
    void theGitHubWorkflowRunsTheGateAndReportsWhatItWrote() throws IOException {
        JsonNode workflow = read("github-actions.yml");
        List<CheckCommand> checks = checks(workflow);
        assertEquals(1, checks.size());
        CheckCommand check = checks.get(0);
        assertNotNull(check.junit);
        assertNotNull(check.githubBenchmark);
        assertFalse(check.noPin, "the job keeps the gate's pinning");
        String junitReport = null;
        String benchmarkFile = null;
        for (JsonNode step : workflow.path("jobs").path("perf-gate").path("steps")) {
            String uses = step.path("uses").asText();
            if (uses.startsWith("mikepenz/action-junit-report@")) {
                junitReport = step.path("with").path("report_paths").asText();
            } else if (uses.startsWith("benchmark-action/github-action-benchmark@")) {
                benchmarkFile = step.path("with").path("output-file-path").asText();
                assertEquals("customSmallerIsBetter", step.path("with").path("tool").asText());
                assertFalse(step.path("with").path("fail-on-alert").asBoolean(true), "the gate decides, not the chart");
            }
        }
        assertEquals(check.junit.toString(), junitReport);
        assertEquals(check.githubBenchmark.toString(), benchmarkFile);
        assertEquals(0, workflow.path("jobs").path("perf-gate").path("steps").get(0).path("with").path("fetch-depth").asInt(-1),
                "the gate needs the base revision's history");
    }

    @Test
    void theGitLabJobRunsTheGateReportsJunitAndRetriesOnlyOnNoisy() throws IOException {
        JsonNode job = read("gitlab-ci.yml").path("perf-gate");
        List<CheckCommand> checks = checks(job);
        assertEquals(1, checks.size());
        CheckCommand check = checks.get(0);
        assertEquals(check.junit.toString(), job.path("artifacts").path("reports").path("junit").asText());
        assertTrue(job.path("artifacts").path("paths").toString().contains(check.bmf.toString()));
        assertEquals(List.of(Gate.GateVerdict.NOISY.exitCode()), List.of(job.path("retry").path("exit_codes").get(0).asInt()));
        assertEquals(1, job.path("retry").path("exit_codes").size());
        assertEquals("0", job.path("variables").path("GIT_DEPTH").asText(), "the gate needs the base revision's history");
    }
}
