package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import echolab.bench.check.Gate.Judgement;
import echolab.bench.check.Gate.Pair;
import echolab.bench.check.Gate.Row;
import echolab.bench.check.Gate.Status;
import echolab.bench.check.PairedRatio.Verdict;

/**
 * The gate's reports for CI systems, each validated against its format's schema as kept in docs/ci/schemas/,
 * from an outcome that holds every status: what each format says of a FAIL, a NOISY run, an inconclusive
 * counter, a metric not applicable, and a metric only reported.
 */
class CiReportsTest {

    private static final Path SCHEMAS = Path.of("../..", "docs", "ci", "schemas");
    private static final CiReports.Versions VERSIONS = new CiReports.Versions("main", "0123456789abcdef0123", "fedcba9876543210fedc", true);

    private static Row row(String server, Metric metric, Status status, double change) {
        List<Pair> pairs = List.of(new Pair(10, 10 * (1 + change)), new Pair(11, 11 * (1 + change)), new Pair(9, 9 * (1 + change)));
        PairedRatio.Estimate e = new PairedRatio.Estimate(3, change, change - 0.02, change + 0.02, status == Status.NOISY ? 0.25 : 0.04,
                status == Status.FAIL ? Verdict.FAIL : status == Status.INCONCLUSIVE ? Verdict.INCONCLUSIVE : Verdict.PASS, change, 0.01);
        return new Row(server, metric, pairs, new Judgement(e, status, status == Status.FAIL ? 5 : 0, status == Status.FAIL ? 9 : 0, 0), null);
    }

    /** selector: CPU fails, a write call more is inconclusive; sync: time is NOISY, allocation not applicable. */
    private static Gate.Outcome everyStatus() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("selector", Metric.US_PER_MESSAGE, Status.PASS, 0.01));
        rows.add(row("selector", Metric.CPU_US_PER_MESSAGE, Status.FAIL, 0.12));
        rows.add(row("selector", Metric.WRITE_CALLS_PER_MESSAGE, Status.INCONCLUSIVE, 0.03));
        rows.add(row("selector", Metric.OPEN_P99_US, Status.REPORTED, 0.40));
        rows.add(row("sync", Metric.US_PER_MESSAGE, Status.NOISY, 0.0));
        rows.add(new Row("sync", Metric.ALLOC_BYTES_PER_MESSAGE, List.of(), null, "base sync: printed no stop summary"));
        return new Gate.Outcome(9, rows, "cgroup cpuacct.usage, ns", new Gate.Plan(5, 20, 0.05, Budget.startingNow(Duration.ofMinutes(5))),
                Duration.ofSeconds(290), Map.of("selector", List.of(40.0), "sync", List.of(40.0)), List.of());
    }

    @Test
    void junitXmlIsValidAndSaysWhatFailedWhatIsNoisyAndWhatWasSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check.junit.xml");
        CiReports.junit(file, false, VERSIONS, everyStatus());
        validXml(file);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("5", root.getAttribute("tests"), "the judged metrics and the one not applicable; the reported one is no test");
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("errors"));
        assertEquals("2", root.getAttribute("skipped"));
        NodeList cases = doc.getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            names.add(c.getAttribute("classname") + "." + c.getAttribute("name"));
        }
        assertEquals(List.of("echolab.check.selector.usPerMessage", "echolab.check.selector.cpuUsPerMessage",
                "echolab.check.selector.writeCallsPerMessage", "echolab.check.sync.usPerMessage", "echolab.check.sync.allocBytesPerMessage"),
                names);
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertTrue(failure.getAttribute("message").contains("+12.0% (90%: +10.0% to +14.0%), confirmed at round 9"),
                failure.getAttribute("message"));
        Element error = (Element) doc.getElementsByTagName("error").item(0);
        assertTrue(error.getAttribute("message").startsWith("NOISY"), error.getAttribute("message"));
        assertTrue(doc.getElementsByTagName("skipped").item(1).getAttributes().getNamedItem("message").getNodeValue()
                .contains("printed no stop summary"));
        assertTrue(doc.getElementsByTagName("system-out").item(0).getTextContent().contains("base 10.0, candidate 10.1 µs/msg"),
                doc.getElementsByTagName("system-out").item(0).getTextContent());
    }

    @Test
    void theJunitSchemaRefusesACaseWithoutItsClass(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.xml");
        Files.writeString(file, "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
                + "<testcase name=\"x\"/></testsuite></testsuites>");
        assertThrows(SAXException.class, () -> validXml(file));
    }

    @Test
    void bmfIsValidWithTheCandidatesFigureAndTheGatesChangePerMetric(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check.bmf.json");
        CiReports.bmf(file, false, everyStatus());
        JsonNode bmf = validJson(file, "bmf.schema.json");
        JsonNode cpu = bmf.path("echo-lab/selector").path("cpu-us-per-message");
        assertEquals(11.2, cpu.path("value").asDouble(), 1e-9, "the candidate's median");
        assertEquals(10.08, cpu.path("lower_value").asDouble(), 1e-9);
        assertEquals(12.32, cpu.path("upper_value").asDouble(), 1e-9);
        JsonNode change = bmf.path("echo-lab/selector").path("cpu-us-per-message-change-percent");
        assertEquals(12.0, change.path("value").asDouble(), 1e-9);
        assertEquals(10.0, change.path("lower_value").asDouble(), 1e-9);
        assertTrue(bmf.path("echo-lab/selector").has("open-p99-us"), "a reported metric is tracked too");
        assertFalse(bmf.path("echo-lab/sync").has("alloc-bytes-per-message"), "a metric not applicable has no value");
    }

    @Test
    void theBmfSchemaRefusesAMeasureWithoutAValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"echo-lab/sync\": {\"cpu\": {\"lower_value\": 1}}}");
        assertFalse(errors(file, "bmf.schema.json").isEmpty());
    }

    @Test
    void githubBenchmarkIsValidAndHoldsOnlyWhatTheGateJudges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check.github-benchmark.json");
        CiReports.githubBenchmark(file, false, VERSIONS, everyStatus());
        JsonNode list = validJson(file, "github-action-benchmark.schema.json");
        List<String> names = new ArrayList<>();
        list.forEach(e -> names.add(e.path("name").asText()));
        assertEquals(List.of("selector usPerMessage", "selector cpuUsPerMessage", "selector writeCallsPerMessage", "sync usPerMessage"),
                names, "judged metrics only: no reported one, none not applicable");
        JsonNode cpu = list.get(1);
        assertEquals("µs/msg", cpu.path("unit").asText());
        assertEquals(11.2, cpu.path("value").asDouble(), 1e-9);
        assertTrue(cpu.path("extra").asText().contains("FAIL") && cpu.path("extra").asText().contains("vs main (0123456789ab)"),
                cpu.path("extra").asText());
    }

    @Test
    void anExistingReportIsKeptUnlessReplaced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check.junit.xml");
        Files.writeString(file, "an earlier report");
        IOException e = assertThrows(IOException.class, () -> CiReports.junit(file, false, VERSIONS, everyStatus()));
        assertEquals("an earlier report", Files.readString(file));
        assertTrue(e.getMessage().contains("its results are in"), e.getMessage());
        CiReports.junit(file, true, VERSIONS, everyStatus());
        validXml(file);
    }

    @Test
    void bencherSlugsAreKebabCaseAndShortEnough() {
        for (Metric m : Metric.values()) {
            String slug = CiReports.slug(m) + "-change-percent";
            assertTrue(slug.matches("[a-z0-9-]+") && slug.length() <= 64, slug);
        }
    }

    private static void validXml(Path file) throws SAXException, IOException {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(SCHEMAS.resolve("junit.xsd").toFile()).newValidator()
                .validate(new StreamSource(file.toFile()));
    }

    private static JsonNode validJson(Path file, String schema) throws IOException {
        Set<ValidationMessage> errors = errors(file, schema);
        assertTrue(errors.isEmpty(), file + " does not match " + schema + ": " + errors + "\n" + Files.readString(file));
        return new ObjectMapper().readTree(file.toFile());
    }

    private static Set<ValidationMessage> errors(Path file, String schema) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(json.readTree(SCHEMAS.resolve(schema).toFile()))
                .validate(json.readTree(file.toFile()));
    }
}
