package echolab.bench.alloc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.results.Environment;
import echolab.bench.base.Json;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.Table;
import echolab.bench.base.NotARun;

/**
 * What {@code ./echolab alloc} found (schema {@value #SCHEMA}, version {@value #SCHEMA_VERSION}): per
 * server, the bytes its side allocated per echo, split by the class allocated and the code that
 * allocated it, estimated from JDK Flight Recorder's allocation samples.
 *
 * @param command the command that reproduces the run
 */
public record AllocationSites(String schema, int schemaVersion, String id, String command, String startedAt,
                              Environment environment, List<ServerSites> servers) {

    public static final String SCHEMA = "echo-lab/allocation-sites";
    public static final int SCHEMA_VERSION = 1;

    /**
     * One server: {@code echoes} measured echoes of {@code size} bytes, sent {@code pipeline} to a write, the server
     * side's bytes per echo (every thread but the client's), and the sites that make it up.
     */
    public record ServerSites(String server, int size, int pipeline, long echoes, double bytesPerEcho, double clientBytesPerEcho,
                              long samples, List<Site> sites) {
        public ServerSites {
            pipeline = Math.max(1, pipeline);             // a file that predates --pipeline sent one at a time
        }
    }

    /**
     * @param type the class allocated, e.g. jdk.internal.vm.StackChunk
     * @param frame the innermost Java frame that allocated it, e.g. java.lang.VirtualThread.yieldContinuation
     * @param caller the innermost frame in echo-lab's own code on the way there, or null when none
     * @param stack the innermost Java frames of one sample at this site, innermost first
     */
    public record Site(String type, String frame, String caller, double bytesPerEcho, long samples, List<String> stack) {

        /** The class's simple name, for a chart's axis. */
        public String shortClass() {
            String t = type.replaceAll("\\[\\]$", "[]");
            return t.substring(t.lastIndexOf('.') + 1);
        }
    }

    public Optional<ServerSites> server(String name) {
        return server(name, 1);
    }

    /** {@code name}'s sites with {@code pipeline} messages to a write, when the run recorded it so. */
    public Optional<ServerSites> server(String name, int pipeline) {
        return servers.stream().filter(s -> s.server().equals(name) && s.pipeline() == pipeline).findFirst();
    }

    /** The run, the machine and the command, for a figure's caption (HTML). */
    public String sourceHtml() {
        return String.format("Allocation-sites run %s, %s, on %s. Reproduce: <code>%s</code>", escape(id),
                startedAt == null || startedAt.length() < 10 ? "date unknown" : startedAt.substring(0, 10),
                environment == null ? "an unrecorded machine" : escape(environment.oneLine()), escape(command));
    }

    private static String escape(String s) {
        return Table.escape(s);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Json.PRETTY.writeValue(file.toFile(), this);
    }

    /** Reads a file; {@link NotARun} with one line when it is missing, not JSON, or another schema. */
    public static AllocationSites read(Path file) throws IOException {
        JsonNode tree = Json.readTree(file);
        if (!SCHEMA.equals(tree.path("schema").asText()) || tree.path("schemaVersion").asInt() != SCHEMA_VERSION) {
            throw new NotARun(file + " is not an allocation-sites run of schema " + SCHEMA + " version " + SCHEMA_VERSION);
        }
        return Json.convert(tree, AllocationSites.class, file, SCHEMA);
    }

    /** The newest .json under {@code dir}, by name (a UTC time), that recorded no line server. */
    public static Optional<Path> newest(Path dir) throws IOException {
        return Json.newest(dir, f -> f.getFileName().toString().endsWith(".json") && !hasLineServer(f));
    }

    /** The newest .json under {@code dir}, by name, that recorded a line server (for the framing lesson). */
    public static Optional<Path> newestWithLines(Path dir) throws IOException {
        return Json.newest(dir, f -> f.getFileName().toString().endsWith(".json") && hasLineServer(f));
    }

    private static boolean hasLineServer(Path file) {
        try {
            List<String> names = Json.readTree(file).path("servers").findValuesAsText("server");
            return ServerCatalogue.lines().stream().anyMatch(l -> names.contains(l.name()));
        } catch (NotARun e) {
            return false;                                     // picked as any file, so that reading it says what is wrong
        }
    }
}
