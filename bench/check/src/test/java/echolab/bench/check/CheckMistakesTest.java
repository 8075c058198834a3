package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The mistakes bench/check-mistakes.sh runs the gate against still apply to the teaching files as they are,
 * each to the three blocking servers: a patch that no longer applies would leave that study nothing to measure.
 */
class CheckMistakesTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void everyMistakeAppliesToTheThreeBlockingServers() throws Exception {
        assumeTrue(Files.isDirectory(ROOT.resolve(".git")), "not a git checkout");
        List<Path> patches;
        try (Stream<Path> files = Files.list(ROOT.resolve("bench/check-mistakes"))) {
            patches = files.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
        }
        assertEquals(2, patches.size(), patches.toString());
        for (Path patch : patches) {
            String text = Files.readString(patch);
            for (String server : List.of("sync-echo/", "thread-per-conn-echo/", "virtual-thread-echo/")) {
                assertTrue(text.contains("+++ b/" + server), patch + " changes " + server);
            }
            Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "apply", "--check", patch.toString())
                    .redirectErrorStream(true).start();
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new AssertionError("git apply --check did not end in 30 s");
            }
            assertEquals(0, git.exitValue(), patch + ": " + new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
