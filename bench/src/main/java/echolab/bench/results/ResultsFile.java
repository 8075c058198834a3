package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** results.json: {@link BenchRun} written and read with Jackson, atomically, with the schema checked on reading. */
public final class ResultsFile {

    public static final String NAME = "results.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);    // fields are only added within a version

    private ResultsFile() {
    }

    /** A folder that is not a bench run of this schema version: the message is one line for the user. */
    public static final class NotARun extends IOException {
        public NotARun(String message) {
            super(message);
        }
    }

    /** Writes {@code run} to DIR/results.json through a temporary file, so a reader never sees half a file. */
    public static void write(Path dir, BenchRun run) throws IOException {
        RunOutput.write(dir.resolve(NAME), true, null, into -> JSON.writeValue(into.toFile(), run));
    }

    /** Reads DIR/results.json (or the file itself); {@link NotARun} when it is missing, not JSON, or another schema. */
    public static BenchRun read(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(NAME) : dirOrFile;
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NotARun(dirOrFile + " is not a bench run: no " + NAME + " in it");
        } catch (JacksonException e) {
            throw new NotARun(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !BenchRun.SCHEMA.equals(tree.path("schema").asText())) {
            throw new NotARun(file + " is not a bench run: its schema is not " + BenchRun.SCHEMA);
        }
        int version = tree.path("schemaVersion").asInt(-1);
        if (version != BenchRun.SCHEMA_VERSION) {
            throw new NotARun(file + " has schema version " + version + "; this echo-lab reads version "
                    + BenchRun.SCHEMA_VERSION + " (re-run ./echolab bench, or use the echo-lab that wrote it)");
        }
        try {
            return JSON.treeToValue(tree, BenchRun.class);
        } catch (JacksonException e) {
            throw new NotARun(file + " does not match schema version " + version + ": " + e.getOriginalMessage());
        }
    }

    /** The newest run under {@code resultsDir} (by folder name, which starts with the date), if any. */
    public static java.util.Optional<Path> newest(Path resultsDir) throws IOException {
        if (!Files.isDirectory(resultsDir)) {
            return java.util.Optional.empty();
        }
        try (var dirs = Files.list(resultsDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(NAME))).max(java.util.Comparator.comparing(Path::getFileName));
        }
    }
}
