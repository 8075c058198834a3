package echolab.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a result was measured on, recorded beside every results.json. */
public final class Environment {

    private Environment() {
    }

    /** Cores of the machine, read before this process pinned itself (which narrows availableProcessors). */
    public static final int CORES = Runtime.getRuntime().availableProcessors();

    public static Map<String, Object> describe(Path root, String serverCpus, String generatorCpus, boolean taskset) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("javaVendor", System.getProperty("java.vendor"));
        env.put("serverJvmFlags", ServerSpec.SERVER_JVM_FLAGS);
        env.put("generatorJvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("cpuModel", cpuModel());
        env.put("cores", CORES);
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("kernel", System.getProperty("os.version"));
        env.put("memoryKiB", memTotal());
        Map<String, Object> pinning = new LinkedHashMap<>();
        pinning.put("taskset", taskset);
        pinning.put("serverCpus", serverCpus);
        pinning.put("generatorCpus", generatorCpus);
        env.put("pinning", pinning);
        env.put("gitCommit", git(root, "rev-parse", "HEAD"));
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        env.put("gitDirty", status == null ? null : !status.isBlank());
        return env;
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

    private static Long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // not Linux: reported as unknown
        }
        return null;
    }

    public static String git(Path root, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            command.addAll(List.of(args));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
