package echolab.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Servers on the first half of the CPUs, this process (the load generator) on the rest, with taskset.
 * Both null when there is no taskset, fewer than two cores, or pinning was turned off.
 */
public record Pinning(String serverCpus, String generatorCpus) {

    /** Cores of the machine, read before this process pinned itself (which narrows availableProcessors). */
    public static final int CORES = Runtime.getRuntime().availableProcessors();

    public static Pinning apply(boolean disabled) throws InterruptedException {
        if (disabled || CORES < 2 || !onPath("taskset")) {
            return new Pinning(null, null);
        }
        int half = CORES / 2;
        String server = half == 1 ? "0" : "0-" + (half - 1);
        String generator = half == CORES - 1 ? String.valueOf(half) : half + "-" + (CORES - 1);
        try {
            ChildProcess.Result r = ChildProcess.run(List.of("taskset", "-a", "-p", "-c", generator,
                    String.valueOf(ProcessHandle.current().pid())), null, Duration.ofSeconds(10));
            if (r.ok()) {
                return new Pinning(server, generator);
            }
        } catch (java.io.IOException e) {
            // unpinned, below
        }
        return new Pinning(null, null);
    }

    public boolean pinned() {
        return serverCpus != null;
    }

    /** {@code command}, run on the server CPUs when pinned. */
    public List<String> server(List<String> command) {
        return on(serverCpus, command);
    }

    /** {@code command}, run on the generator CPUs when pinned (the native client). */
    public List<String> generator(List<String> command) {
        return on(generatorCpus, command);
    }

    private static List<String> on(String cpus, List<String> command) {
        if (cpus == null) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(command);
        return pinned;
    }

    public static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
