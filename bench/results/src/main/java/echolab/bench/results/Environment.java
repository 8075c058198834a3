package echolab.bench.results;

import java.util.List;

/** What a run was measured on. */
public record Environment(String jdk, String javaVendor, List<String> serverJvmFlags, List<String> generatorJvmFlags,
                          String cpuModel, int cores, String os, String kernel, Long memoryKiB, Pinning pinning,
                          String gitCommit, Boolean gitDirty) {

    /** Servers on {@code serverCpus}, the generator on {@code generatorCpus}, with taskset; both null when unpinned. */
    public record Pinning(boolean taskset, String serverCpus, String generatorCpus) {
    }

    /** "servers pinned to CPU 0, generator to CPU 1", or "not pinned". */
    public String pinningText() {
        return pinning.taskset()
                ? "servers pinned to CPU " + pinning.serverCpus() + ", generator to CPU " + pinning.generatorCpus()
                : "not pinned";
    }

    /** One line for a figure's caption: machine, cores, pinning, JDK, kernel, commit. */
    public String oneLine() {
        return String.format("%s; %d cores (%s); JDK %s; kernel %s; commit %s%s", cpuModel, cores, pinningText(), jdk, kernel,
                gitCommit == null ? "unknown" : gitCommit.substring(0, Math.min(12, gitCommit.length())),
                Boolean.TRUE.equals(gitDirty) ? " (with uncommitted changes)" : "");
    }
}
