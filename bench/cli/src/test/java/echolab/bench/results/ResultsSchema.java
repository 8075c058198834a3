package echolab.bench.results;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Test helper: results/bench-results.schema.json, and an assertion that a results.json conforms to it. */
public final class ResultsSchema {

    public static final Path FILE = Path.of("../..", "results", "bench-results.schema.json");

    private ResultsSchema() {
    }

    public static void assertValid(Path resultsJson) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(json.readTree(FILE.toFile()));
        JsonNode document = json.readTree(resultsJson.toFile());
        Set<ValidationMessage> errors = schema.validate(document);
        assertTrue(errors.isEmpty(), resultsJson + " does not match " + FILE + ": " + errors);
    }
}
