package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the native reference peers (bench/native/*.c) with the machine's C compiler into
 * bench/target/native/, once and again whenever a source is newer. Without a compiler the native peer
 * is skipped, and the reason is reported.
 */
final class NativePeers {

    final Path server;
    final Path client;
    final String problem;

    private NativePeers(Path server, Path client, String problem) {
        this.server = server;
        this.client = client;
        this.problem = problem;
    }

    static NativePeers build(Path root) {
        Path sources = root.resolve("bench/native");
        Path out = root.resolve("bench/target/native");
        String compiler = findCompiler();
        if (compiler == null) {
            return new NativePeers(null, null, "no C compiler (cc, gcc or clang) on PATH: native peer skipped");
        }
        try {
            Files.createDirectories(out);
            Path server = compile(compiler, sources.resolve("echo_server.c"), out.resolve("echo-server"));
            Path client = compile(compiler, sources.resolve("echo_client.c"), out.resolve("echo-client"));
            return new NativePeers(server, client, null);
        } catch (IOException | InterruptedException e) {
            return new NativePeers(null, null, "native peer not built: " + e.getMessage());
        }
    }

    private static Path compile(String compiler, Path source, Path binary) throws IOException, InterruptedException {
        if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary;
        }
        Process cc = new ProcessBuilder(compiler, "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            throw new IOException(compiler + " failed on " + source.getFileName() + ": " + output.strip());
        }
        return binary;
    }

    private static String findCompiler() {
        for (String name : List.of("cc", "gcc", "clang")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
