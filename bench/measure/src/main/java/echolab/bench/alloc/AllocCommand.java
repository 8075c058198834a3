package echolab.bench.alloc;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import echolab.bench.base.Reproduce;
import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Machine;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.base.RunOutput;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./echolab alloc}: where each server allocates per echo, from JDK Flight Recorder's allocation samples. */
@Command(name = "alloc", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Find where each teaching server (or line server) allocates per echo.",
            "",
            "Runs each server in a JVM of its own (small fixed TLABs, so that allocations are sampled often) on port 0, "
                + "warms it up, then makes round trips over one connection while JDK Flight Recorder samples allocations (jdk.ObjectAllocationSample, weighted by the bytes each thread "
                + "allocated since its last sample). Samples of the client thread are set apart; the rest are the "
                + "server's, grouped by the class allocated and the frame that allocated it. Writes JSON (schema "
                + "echo-lab/allocation-sites) that ./echolab course shows, and prints a table."},
        footer = {"", "Example: ./echolab alloc --servers virtual-thread --echoes 200000",
            "Exit status: 0 written, 1 a server failed, 2 bad usage."})
public final class AllocCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--servers", split = ",", paramLabel = "NAMES", defaultValue = "sync,thread-per-conn,selector,virtual-thread",
            description = "Servers to profile, teaching servers or line servers (default: ${DEFAULT-VALUE}).")
    List<String> servers;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", description = "Message size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--pipeline", split = ",", paramLabel = "K", defaultValue = "1",
            description = "Messages sent in one write before their echoes are read (default: ${DEFAULT-VALUE}); for a line "
                    + "server, K messages to frame in each read. Several, comma-separated, record each server at each.")
    List<Integer> pipeline;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200000", description = "Round trips before recording (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--echoes", paramLabel = "N", defaultValue = "500000", description = "Round trips recorded (default: ${DEFAULT-VALUE}).")
    long echoes;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON (default: a new results/alloc/<UTC time>.json); "
            + "refused if it exists, unless --replace.")
    Path out;

    @Option(names = "--replace", description = "With --out: overwrite the file if it exists.")
    boolean replace;


    @Override
    public Integer call() throws Exception {
        Path root = Machine.root(null);
        if (size < 1 || warmup < 0 || echoes < 1000 || pipeline.stream().anyMatch(k -> k < 1 || k > 1000)) {
            throw new ParameterException(spec.commandLine(), "--size must be at least 1, --warmup at least 0, --echoes at least 1000 "
                    + "and --pipeline 1 to 1000");
        }
        List<ServerCatalogue.TeachingServer> entries;
        try {
            entries = ServerCatalogue.named(servers, ServerCatalogue.javaFiles());
            for (ServerCatalogue.Entry e : entries) {
                if (e.terminator().isPresent() && size <= e.terminator().get().bytes().length) {
                    throw new IllegalArgumentException("--size must be more than " + e.name() + "'s terminator");
                }
            }
            if (out != null) {
                RunOutput.checkFree(out, replace, "--out");
            }
        } catch (IllegalArgumentException | RunOutput.Taken e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Instant started = Instant.now();
        String id = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
        List<AllocationSites.ServerSites> results = new ArrayList<>();
        System.out.printf("%-20s %8s %12s %12s  %s%n", "server", "pipeline", "server B/echo", "client B/echo", "largest site");
        for (ServerCatalogue.Entry e : entries) {
            for (int k : pipeline) {
                System.err.printf("alloc: %s: %,d echoes to warm up, %,d recorded, %d to a write ...%n", e.name(), warmup, echoes, k);
                AllocationSites.ServerSites s;
                try {
                    s = recordInChild(e.name(), k, root);
                } catch (java.io.IOException ex) {
                    System.err.println("alloc: " + e.name() + ": " + ex.getMessage());
                    return 1;
                }
                results.add(s);
                System.out.printf("%-20s %8d %12.1f %12.1f  %s%n", s.server(), s.pipeline(), s.bytesPerEcho(), s.clientBytesPerEcho(),
                        s.sites().isEmpty() ? "none sampled" : String.format("%s from %s (%.1f B)", s.sites().get(0).type(),
                                s.sites().get(0).frame(), s.sites().get(0).bytesPerEcho()));
            }
        }
        String command = Reproduce.of(spec);
        AllocationSites run = new AllocationSites(AllocationSites.SCHEMA, AllocationSites.SCHEMA_VERSION, id, command,
                started.toString(), Machine.describe(root, new Pinning(null, null)), results);
        Path file = out;
        if (out != null) {
            RunOutput.write(out, replace, "--out", run::write);
        } else {
            file = RunOutput.writeNew(root.resolve("results").resolve("alloc"), id, ".json", run::write);
        }
        System.err.println("alloc: wrote " + file);
        return 0;
    }

    /** One server recorded in a child JVM, under a real timeout. */
    private AllocationSites.ServerSites recordInChild(String server, int pipeline, Path root) throws java.io.IOException, InterruptedException {
        Path out = java.nio.file.Files.createTempFile("echolab-alloc-" + server, ".json");
        try {
            List<String> command = new ArrayList<>(List.of(Launcher.currentJava()));
            command.addAll(AllocationRecorder.JVM_FLAGS);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), AllocationRecorder.class.getName(), server,
                    String.valueOf(size), String.valueOf(pipeline), String.valueOf(warmup), String.valueOf(echoes), out.toString()));
            ChildProcess.Result r = ChildProcess.run(command, root.toFile().isDirectory() ? root : null, java.time.Duration.ofMinutes(5));
            if (!r.ok()) {
                throw new java.io.IOException("the recording JVM failed (exit " + r.exitCode() + "): " + r.output().strip());
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.toFile(), AllocationSites.ServerSites.class);
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
