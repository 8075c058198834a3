package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the native reference peers (bench/native/*.c) with the machine's C compiler into
 * bench/target/native/, once and again whenever a source is newer, and checks that each can run here
 * (the io_uring server asks the kernel for a ring). A peer that cannot be built or run is skipped, and
 * the reason is reported: no compiler, liburing's headers missing, io_uring refused by the kernel.
 */
public final class NativePeers {

    /** The epoll echo server, the ceiling the JVM servers were first measured against. */
    public static final String EPOLL_SERVER = "echo-server";
    /** The io_uring echo server: the same loop over the kernel's other interface. */
    public static final String URING_SERVER = "echo-uring";
    /** The minimal native client the generator is measured against. */
    public static final String CLIENT = "echo-client";

    /** A program: its source, the libraries it links, and whether it must be asked ({@code --probe}) if it can run here. */
    private record Program(String name, String source, List<String> libraries, boolean probe) {
    }

    private static final List<Program> PROGRAMS = List.of(
            new Program(EPOLL_SERVER, "echo_server.c", List.of(), false),
            new Program(CLIENT, "echo_client.c", List.of(), false),
            new Program(URING_SERVER, "echo_uring.c", List.of("-luring"), true));

    /** A program built and runnable here ({@code problem} null), or why not ({@code binary} null). */
    private record Built(Path binary, String problem) {
    }

    private final Map<String, Built> programs;

    private NativePeers(Map<String, Built> programs) {
        this.programs = programs;
    }

    /** Peers that were not built (e.g. for a command that starts only JVM servers). */
    public static NativePeers none() {
        return new NativePeers(Map.of());
    }

    public static NativePeers build(Path root) throws InterruptedException {
        Path sources = root.resolve("bench/native");
        Path out = root.resolve("bench/target/native");
        String compiler = List.of("cc", "gcc", "clang").stream().filter(Pinning::onPath).findFirst().orElse(null);
        Map<String, Built> built = new LinkedHashMap<>();
        for (Program p : PROGRAMS) {
            if (compiler == null) {
                built.put(p.name(), new Built(null, "no C compiler (cc, gcc or clang) on PATH: native peer skipped"));
                continue;
            }
            try {
                Files.createDirectories(out);
                Path binary = compile(compiler, sources.resolve(p.source()), out.resolve(p.name()), p.libraries());
                String refused = p.probe() ? probe(binary) : null;
                built.put(p.name(), new Built(refused == null ? binary : null, refused));
            } catch (IOException e) {
                built.put(p.name(), new Built(null, "native peer not built: " + e.getMessage()));
            }
        }
        return new NativePeers(built);
    }

    /** The program, built and able to run here; null when it is not (see {@link #problem}). */
    public Path binary(String program) {
        Built b = programs.get(program);
        return b == null ? null : b.binary();
    }

    /** Why the program is not available; null when it is. */
    public String problem(String program) {
        Built b = programs.get(program);
        return b == null ? "native peers were not built for this command" : b.problem();
    }

    /** Runs {@code binary --probe}: null when it can run here, else the reason it printed. */
    private static String probe(Path binary) throws IOException, InterruptedException {
        ChildProcess.Result r = ChildProcess.run(List.of(binary.toString(), "--probe"), null, Duration.ofSeconds(10));
        return r.ok() ? null : binary.getFileName() + " skipped: " + r.output().strip();
    }

    /**
     * Compiles {@code source} unless the binary is newer than it and than every header beside it. The compiler
     * writes a file of its own that is then renamed into place, so that two runs started together never
     * run, or overwrite, a half-written binary.
     */
    private static Path compile(String compiler, Path source, Path binary, List<String> libraries) throws IOException, InterruptedException {
        if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(newestInput(source)) > 0) {
            return binary;
        }
        Path partial = Files.createTempFile(binary.getParent(), binary.getFileName() + ".", ".partial");
        try {
            List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-o", partial.toString(), source.toString()));
            command.addAll(libraries);
            ChildProcess.Result r = ChildProcess.run(command, null, Duration.ofSeconds(60));
            if (!r.ok()) {
                throw new IOException(r.output().contains("liburing.h")
                        ? "liburing's headers are missing (Debian: apt-get install liburing-dev)"
                        : compiler + " failed on " + source.getFileName() + ": " + r.output().strip());
            }
            Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return binary;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static FileTime newestInput(Path source) throws IOException {
        FileTime newest = Files.getLastModifiedTime(source);
        try (var headers = Files.newDirectoryStream(source.getParent(), "*.h")) {
            for (Path h : headers) {
                FileTime t = Files.getLastModifiedTime(h);
                newest = t.compareTo(newest) > 0 ? t : newest;
            }
        }
        return newest;
    }
}
