package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

/**
 * Builds the native reference peers (bench/native/*.c) with the machine's C compiler into
 * bench/target/native/, once and again whenever a source is newer. Without a compiler the native peer
 * is skipped, and the reason is reported.
 *
 * @param problem why the peers are not available; null when they are
 */
public record NativePeers(Path server, Path client, String problem) {

    public static NativePeers build(Path root) throws InterruptedException {
        Path sources = root.resolve("bench/native");
        Path out = root.resolve("bench/target/native");
        String compiler = List.of("cc", "gcc", "clang").stream().filter(Pinning::onPath).findFirst().orElse(null);
        if (compiler == null) {
            return new NativePeers(null, null, "no C compiler (cc, gcc or clang) on PATH: native peer skipped");
        }
        try {
            Files.createDirectories(out);
            Path server = compile(compiler, sources.resolve("echo_server.c"), out.resolve("echo-server"));
            Path client = compile(compiler, sources.resolve("echo_client.c"), out.resolve("echo-client"));
            return new NativePeers(server, client, null);
        } catch (IOException e) {
            return new NativePeers(null, null, "native peer not built: " + e.getMessage());
        }
    }

    /**
     * Compiles {@code source} unless the binary is newer than it and than every header beside it. The compiler
     * writes a file of its own that is then renamed into place, so that two runs started together never
     * run, or overwrite, a half-written binary.
     */
    private static Path compile(String compiler, Path source, Path binary) throws IOException, InterruptedException {
        if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(newestInput(source)) > 0) {
            return binary;
        }
        Path partial = Files.createTempFile(binary.getParent(), binary.getFileName() + ".", ".partial");
        try {
            ChildProcess.Result r = ChildProcess.run(List.of(compiler, "-O2", "-o", partial.toString(), source.toString()),
                    null, Duration.ofSeconds(60));
            if (!r.ok()) {
                throw new IOException(compiler + " failed on " + source.getFileName() + ": " + r.output().strip());
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
