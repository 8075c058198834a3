package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Servers on the first half of the CPUs, this process (the load generator) on the rest, with taskset.
 * Both null when there is no taskset, fewer than two cores, or pinning was turned off.
 */
public record Pinning(String serverCpus, String generatorCpus) {

    public static Pinning apply(boolean disabled) {
        int cores = Environment.CORES;
        if (disabled || cores < 2 || !onPath("taskset")) {
            return new Pinning(null, null);
        }
        int half = cores / 2;
        String server = half == 1 ? "0" : "0-" + (half - 1);
        String generator = half == cores - 1 ? String.valueOf(half) : half + "-" + (cores - 1);
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", generator, String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return new Pinning(server, generator);
            }
        } catch (IOException e) {
            // unpinned, below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Pinning(null, null);
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
