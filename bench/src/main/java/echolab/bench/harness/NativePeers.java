package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static Path compile(String compiler, Path source, Path binary) throws IOException, InterruptedException {
        if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary;
        }
        ChildProcess.Result r = ChildProcess.run(List.of(compiler, "-O2", "-o", binary.toString(), source.toString()),
                null, Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new IOException(compiler + " failed on " + source.getFileName() + ": " + r.output().strip());
        }
        return binary;
    }
}
