package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/**
 * A real, quick `bench` run over two servers (selector-echo, packaged earlier in the build, and the
 * native peer, or its skip note where there is no C compiler); its results.json is checked for the
 * schema and for values that make sense.
 */
class QuickBenchTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void quickBenchOverTwoServersWritesAValidResultsFile(@TempDir Path out) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        int exit = new CommandLine(new Main()).execute("bench", "--profile", "quick", "--only", "selector,native",
                "--no-pin", "--root", root.toString(), "--out", out.toString());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("echo-lab/bench-results", results.path("schema").asText());
        assertEquals(1, results.path("schemaVersion").asInt());
        assertTrue(results.path("run").path("complete").asBoolean(), "run not marked complete");
        for (String key : new String[] {"jdk", "serverJvmFlags", "cpuModel", "cores", "kernel", "pinning", "gitCommit"}) {
            assertTrue(results.path("environment").has(key), "environment." + key + " missing");
        }
        assertEquals("quick", results.path("run").path("profile").asText());

        Set<String> seen = new HashSet<>();
        for (JsonNode row : results.path("scenarios")) {
            String server = row.path("server").asText();
            String scenario = row.path("scenario").asText();
            seen.add(server + "/" + scenario);
            if (row.path("status").asText().equals("skipped")) {
                assertEquals("native", server, "only the native peer may be skipped (no C compiler)");
                continue;
            }
            assertEquals("ok", row.path("status").asText(), server + " " + scenario + ": " + row.path("error").asText());
            JsonNode load = row.path("load");
            assertTrue(load.path("messagesPerSecond").asDouble() > 0, server + " " + scenario + " echoed nothing");
            assertEquals(0, load.path("errors").path("total").asLong(), server + " " + scenario + " had errors");
            JsonNode latency = load.path("latencyMicros");
            assertTrue(latency.path("p50").asDouble() > 0, "p50 of " + server + " " + scenario);
            assertTrue(latency.path("p50").asDouble() <= latency.path("p99").asDouble(), "p50 <= p99");
            assertTrue(latency.path("p99").asDouble() <= latency.path("max").asDouble(), "p99 <= max");
            assertTrue(row.path("serverStats").path("peakRssKiB").asLong() > 0, "no RSS for " + server);
            if (scenario.equals("scale")) {
                JsonNode scale = row.path("scale");
                assertEquals(200, scale.path("idleOpened").asInt(), server + " idle connections opened");
                assertTrue(scale.path("rssWithIdleKiB").asLong() > 0);
            }
            if (scenario.equals("open")) {
                assertTrue(load.path("targetRate").asDouble() > 0);
                assertNotNull(load.get("uncorrectedLatencyMicros"));
                assertTrue(Files.isRegularFile(out.resolve(row.path("hgrmUncorrected").asText())));
            }
            assertTrue(Files.isRegularFile(out.resolve(row.path("hgrm").asText())), "missing " + row.path("hgrm"));
        }
        assertTrue(seen.containsAll(Set.of("selector/closed", "selector/open", "selector/scale")), seen.toString());
        for (String file : new String[] {"summary.md", "throughput.png", "throughput.svg", "p99.png", "spectrum.svg",
                "rss-per-connection.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " missing or empty");
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| selector | teaching |"));
        assertEquals(0, exit, "bench reported a failed scenario");
    }
}
