package echolab.bench.results;

import java.util.List;

/**
 * What a run was measured on.
 *
 * @param python the Python the Python peers run on, with the version of each library they use; null where this
 *               machine has no Python 3 (and in files of an older echo-lab)
 */
public record Environment(String jdk, String javaVendor, List<String> serverJvmFlags, List<String> generatorJvmFlags,
                          String cpuModel, int cores, String os, String kernel, Long memoryKiB, Pinning pinning,
                          String gitCommit, Boolean gitDirty, Python python) {

    /** An interpreter ({@code /usr/bin/python3}), its implementation and version ({@code cpython 3.11.2}), its libraries' versions. */
    public record Python(String interpreter, String version, java.util.Map<String, String> libraries) {

        /** "cpython 3.11.2 (/usr/bin/python3; gevent 22.10.2, uvloop 0.17.0)". */
        public String describe() {
            List<String> with = libraries.entrySet().stream().filter(e -> !e.getValue().equals("standard library"))
                    .map(e -> e.getKey() + " " + e.getValue()).toList();
            return version + " (" + interpreter + (with.isEmpty() ? "" : "; " + String.join(", ", with)) + ")";
        }
    }

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
