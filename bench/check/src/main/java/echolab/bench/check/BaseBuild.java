package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Machine;
import echolab.bench.harness.ServerCatalogue;

/** The base revision in a git worktree under .check/, built once with Maven; every child under a real timeout. */
final class BaseBuild {

    static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private BaseBuild() {
    }

    /** The merge-base with main; on main (or without one), HEAD~1. */
    static String defaultBase(Path root) {
        String branch = Machine.git(root, "rev-parse", "--abbrev-ref", "HEAD");
        String head = Machine.git(root, "rev-parse", "HEAD");
        String main = Machine.git(root, "rev-parse", "--verify", "main");
        if ("main".equals(branch) || (head != null && head.equals(main)) || main == null) {
            return "HEAD~1";
        }
        String mergeBase = Machine.git(root, "merge-base", "HEAD", "main");
        return mergeBase != null ? mergeBase : "HEAD~1";
    }

    /** .check/SHA with the servers' jars built; IOException with one line when git or Maven fails or hangs. */
    static Path build(Path root, String sha, List<? extends ServerCatalogue.TeachingServer> servers) throws IOException, InterruptedException {
        Path dir = root.resolve(".check").resolve(sha);
        if (servers.stream().allMatch(s -> Files.isRegularFile(s.jarIn(dir)))) {
            return dir;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            exec(root, GIT_TIMEOUT, "git", "worktree", "add", "--detach", "--force", dir.toString(), sha);
        }
        List<String> modules = new ArrayList<>();
        servers.forEach(s -> modules.add(s.module()));
        System.err.println("check: building the base " + sha.substring(0, 12) + " in " + dir + " ...");
        exec(dir, BUILD_TIMEOUT, "mvn", "-q", "-B", "-Dstyle.color=never", "-DskipTests", "-pl", String.join(",", modules), "-am", "package");
        for (ServerCatalogue.TeachingServer s : servers) {
            if (!Files.isRegularFile(s.jarIn(dir))) {
                throw new IOException("the base revision has no " + s.jarIn(dir) + " after building");
            }
        }
        return dir;
    }

    private static void exec(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        ChildProcess.Result r = ChildProcess.run(List.of(command), dir, timeout);
        if (!r.ok()) {
            String out = r.output().strip();
            throw new IOException("'" + String.join(" ", command) + "' failed (exit " + r.exitCode() + ")"
                    + (out.isEmpty() ? "" : ": " + out.substring(Math.max(0, out.length() - 2000))));
        }
    }
}
