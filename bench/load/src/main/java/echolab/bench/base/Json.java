package echolab.bench.base;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import echolab.bench.base.NotARun;

/**
 * echo-lab's JSON, in one place: one mapper (fields this version does not know are ignored on reading, as
 * fields are only ever added within a schema version), indented output for files a person may open, one
 * way to read a run's file that turns every failure into a one-line {@link NotARun}, and one way to find
 * the newest run of a kind in a folder.
 */
public final class Json {

    /** Reads and writes compact JSON (one line, as the contract runner's protocol needs). */
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes indented JSON, for files. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /** The tree in {@code file}; {@link NotARun} with one line when it is missing or not JSON. */
    public static JsonNode readTree(Path file) throws NotARun {
        try {
            JsonNode tree = MAPPER.readTree(file.toFile());
            if (tree == null) {
                throw new NotARun(file + " is empty");
            }
            return tree;
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new NotARun(file + ": no such file");
        } catch (JacksonException e) {
            throw new NotARun(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NotARun(file + " cannot be read: " + e.getMessage());
        }
    }

    /** {@code tree} as a {@code type}; {@link NotARun} naming the file and {@code what} when it does not fit. */
    public static <T> T convert(JsonNode tree, Class<T> type, Path file, String what) throws NotARun {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new NotARun(file + " does not match " + what + ": " + e.getOriginalMessage());
        }
    }

    /** The newest entry of {@code dir} that {@code isRun} accepts, by name (a run's name starts with its time); hidden ones never. */
    public static Optional<Path> newest(Path dir, Predicate<Path> isRun) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).filter(isRun)
                    .max(Comparator.comparing(Path::getFileName));
        }
    }
}
