package echolab.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.results.Environment;

/** What this machine and checkout are, for the record beside every result; and git, with a timeout. */
public final class Machine {

    private Machine() {
    }

    /** The checkout the tools work in: {@code override} (a hidden --root), else what the launcher passed, else here. */
    public static Path root(Path override) {
        return (override != null ? override : Path.of(System.getProperty("echolab.root", "."))).toAbsolutePath().normalize();
    }

    public static Environment describe(Path root, Pinning pinning) throws InterruptedException {
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return new Environment(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), ServerCatalogue.JVM_FLAGS,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), cpuModel(), Pinning.CORES,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("os.version"),
                procValue("/proc/meminfo", "MemTotal:"),
                new Environment.Pinning(pinning.pinned(), pinning.serverCpus(), pinning.generatorCpus()),
                git(root, "rev-parse", "HEAD"), status == null ? null : !status.isBlank(), PythonPeers.python());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux: reported as unknown
        }
        return "unknown";
    }

    private static Long procValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // not Linux: reported as unknown
        }
        return null;
    }

    /** {@code git -C root ARGS}: its output, or null when git fails or is missing (a hang is killed after 30 s). */
    public static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            ChildProcess.Result r = ChildProcess.run(command, null, Duration.ofSeconds(30));
            return r.ok() ? r.output().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
