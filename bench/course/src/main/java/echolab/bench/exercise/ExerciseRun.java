package echolab.bench.exercise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.base.Json;
import echolab.bench.base.NotARun;
import echolab.bench.results.Environment;

/**
 * What {@code ./echolab exercise run NAME --save} measured (schema {@value #SCHEMA}, version
 * {@value #SCHEMA_VERSION}), kept under results/exercise/ for the course: which contract tests caught the
 * broken copy, and its symptom beside the real server's, in one run on one machine.
 *
 * @param id the run's start, a UTC time; the file is {@code results/exercise/ID-EXERCISE.json}
 * @param command the command that reproduces the run
 * @param caughtBy the contract tests that failed on the broken copy, of {@code tests} run
 * @param symptom what the probe measured, e.g. "the round trip of a message larger than the buffer"
 * @param brokenHealthy whether the broken server looked as a correct one does (then the probe missed the symptom)
 */
public record ExerciseRun(String schema, int schemaVersion, String id, String exercise, String server, String command,
                          String startedAt, Environment environment, List<String> caughtBy, int tests, String symptom,
                          List<Observation> observations, boolean brokenHealthy, boolean realHealthy) {

    public static final String SCHEMA = "echo-lab/exercise-run";
    public static final int SCHEMA_VERSION = 1;

    /** One figure of the symptom, as the probe printed it, for the broken server and the real one. */
    public record Observation(String name, String broken, String real) {
    }

    /** The folder under a checkout where the runs are kept. */
    public static Path folder(Path root) {
        return root.resolve("results").resolve("exercise");
    }

    public void write(Path file) throws IOException {
        Json.PRETTY.writeValue(file.toFile(), this);
    }

    /** Reads a file; {@link NotARun} with one line when it is missing, not JSON, or another schema. */
    public static ExerciseRun read(Path file) throws IOException {
        JsonNode tree = Json.readTree(file);
        if (!SCHEMA.equals(tree.path("schema").asText()) || tree.path("schemaVersion").asInt() != SCHEMA_VERSION) {
            throw new NotARun(file + " is not an exercise run of schema " + SCHEMA + " version " + SCHEMA_VERSION);
        }
        return Json.convert(tree, ExerciseRun.class, file, SCHEMA);
    }

    /** The newest run of {@code exercise} under the checkout {@code root}, if there is one. */
    public static Optional<ExerciseRun> newest(Path root, String exercise) throws IOException {
        Pattern name = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z-" + Pattern.quote(exercise) + "(-\\d+)?\\.json");
        Optional<Path> file = Json.newest(folder(root), f -> name.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f));
        return file.isEmpty() ? Optional.empty() : Optional.of(read(file.get()));
    }
}
