package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import echolab.bench.base.NotARun;
import echolab.bench.base.RunOutput;
import echolab.bench.base.Json;

/**
 * results.json: {@link BenchRun} written and read with Jackson, atomically, with the schema checked on reading and
 * a file of an older echo-lab upgraded ({@link ResultsUpgrade}).
 */
public final class ResultsFile {

    public static final String NAME = "results.json";

    private ResultsFile() {
    }


    /** Writes {@code run} to DIR/results.json through a temporary file, so a reader never sees half a file. */
    public static void write(Path dir, BenchRun run) throws IOException {
        RunOutput.write(dir.resolve(NAME), true, null, into -> Json.PRETTY.writeValue(into.toFile(), run));
    }

    /** Reads DIR/results.json (or the file itself); {@link NotARun} when it is missing, not JSON, or another schema. */
    public static BenchRun read(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(NAME) : dirOrFile;
        if (!Files.exists(file)) {
            throw new NotARun(dirOrFile + " is not a bench run: no " + NAME + " in it");
        }
        JsonNode tree = Json.readTree(file);
        if (!BenchRun.SCHEMA.equals(tree.path("schema").asText())) {
            throw new NotARun(file + " is not a bench run: its schema is not " + BenchRun.SCHEMA);
        }
        int version = tree.path("schemaVersion").asInt(-1);
        if (version != BenchRun.SCHEMA_VERSION) {
            throw new NotARun(file + " has schema version " + version + "; this echo-lab reads version "
                    + BenchRun.SCHEMA_VERSION + " (re-run ./echolab bench, or use the echo-lab that wrote it)");
        }
        return Json.convert(ResultsUpgrade.apply(tree), BenchRun.class, file, "schema version " + version);
    }

    /**
     * The newest bench run under {@code resultsDir} (by folder name, which starts with the date), if any; a run
     * of the variants by name ({@link #newestWithVariants}) is not one, a full run that includes them is, and
     * a run of the Python peers ({@link #newestWithPython}) or of the line servers ({@link #newestWithLines}) is not one.
     */
    public static java.util.Optional<Path> newest(Path resultsDir) throws IOException {
        return Json.newest(resultsDir, d -> {
            Header h = Header.of(d);
            return h != null && !List.of(SCALE, CAPACITY).contains(h.profile()) && (!h.variants() || "full".equals(h.profile()))
                    && !h.python() && !h.lines();
        });
    }

    /** The newest bench run under {@code resultsDir} that measured a line server beside its stream twin, if any. */
    public static java.util.Optional<Path> newestWithLines(Path resultsDir) throws IOException {
        return Json.newest(resultsDir, d -> {
            Header h = Header.of(d);
            return h != null && h.lines() && !List.of(SCALE, CAPACITY).contains(h.profile());
        });
    }

    /** The profile a scale run records, and a capacity run. */
    public static final String SCALE = "scale";
    public static final String CAPACITY = "capacity";

    /** The newest run of {@code profile} (scale, capacity) under {@code resultsDir}, if any. */
    public static java.util.Optional<Path> newest(Path resultsDir, String profile) throws IOException {
        return Json.newest(resultsDir, d -> {
            Header h = Header.of(d);
            return h != null && profile.equals(h.profile()) && !h.python();
        });
    }

    /**
     * The newest run under {@code resultsDir} that measured a Python peer and no line server: a scale run when
     * {@code scale}, else a bench run (of any profile but scale and capacity).
     */
    public static java.util.Optional<Path> newestWithPython(Path resultsDir, boolean scale) throws IOException {
        return Json.newest(resultsDir, d -> {
            Header h = Header.of(d);
            return h != null && h.python() && !h.lines()
                    && (scale ? SCALE.equals(h.profile()) : !List.of(SCALE, CAPACITY).contains(h.profile()));
        });
    }

    /** The newest bench run under {@code resultsDir} that measured a variant (a server run with JDK switches), if any. */
    public static java.util.Optional<Path> newestWithVariants(Path resultsDir) throws IOException {
        return Json.newest(resultsDir, d -> {
            Header h = Header.of(d);
            return h != null && h.variants();
        });
    }

    /**
     * What picking a run needs of its results.json, read once: its profile, whether it measured a variant, a Python
     * peer, a line server (one with a stream twin, Java or Python).
     */
    private record Header(String profile, boolean variants, boolean python, boolean lines) {
        /** The header of the run in {@code dir}; null without results.json, an empty one when it cannot be read. */
        static Header of(Path dir) {
            if (!Files.isRegularFile(dir.resolve(NAME))) {
                return null;
            }
            try {
                JsonNode tree = Json.readTree(dir.resolve(NAME));
                List<String> kinds = tree.path("servers").findValuesAsText("kind");
                return new Header(tree.path("run").path("profile").asText(""), kinds.contains("variant"), kinds.contains("python"),
                        !tree.path("servers").findValues("streamTwin").isEmpty());
            } catch (NotARun e) {
                return new Header("", false, false, false);                  // picked like any run, so that reading it says what is wrong
            }
        }
    }
}
