package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import echolab.bench.alloc.AllocationSites;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;
import echolab.bench.teaching.TeachingFile;

/**
 * Everything a course is generated from: the four teaching files, the Python peers' files beside them, the line
 * servers' files, and the runs whose figures it shows (a bench run's results.json, a JMH run's JSON, an
 * allocation-sites run, a scale run, a capacity run, a bench run of the variants, a bench run and a scale run of
 * the Python peers with the four servers, and a bench run and an allocation-sites run of the line servers beside
 * their stream twins), each optional: a page whose run is missing says which command produces it.
 *
 * @param benchDir the bench run's folder (figures name it), or null
 * @param lineFiles the line servers' files, Java and Python, by server name
 */
public record CourseData(Path root, Map<String, TeachingFile> files, Optional<BenchRun> bench, Path benchDir,
                         Optional<JmhRun> jmh, Optional<AllocationSites> allocation, Optional<BenchRun> scale, Path scaleDir,
                         Optional<BenchRun> capacity, Path capacityDir, Optional<BenchRun> variants, Path variantsDir,
                         Map<String, TeachingFile> pythonFiles, Optional<Run> python, Optional<Run> pythonScale,
                         Map<String, TeachingFile> lineFiles, Optional<Run> lines, Optional<AllocationSites> linesAllocation) {

    /** A run and the folder it was read from (figures name it). */
    public record Run(BenchRun run, Path dir) {

        static Optional<Run> read(Path dir) throws IOException {
            return dir == null ? Optional.empty() : Optional.of(new Run(ResultsFile.read(dir), dir));
        }
    }

    /**
     * Reads the teaching files under {@code root} and the given runs; null for a run means the newest one
     * of its kind under results/ if there is one. A run that was named but is not readable is an error (NotARun);
     * one that was not named and is absent is a gap the pages describe.
     */
    public static CourseData read(Path root, Path benchRun, Path jmhFile, Path allocationFile, Path scaleRun, Path capacityRun,
                                  Path variantsRun, Path pythonRun, Path pythonScaleRun, Path linesRun, Path linesAllocationFile)
            throws IOException {
        Map<String, TeachingFile> files = new LinkedHashMap<>();
        for (TeachingFile f : TeachingFile.readAll(root)) {
            files.put(f.server(), f);
        }
        Map<String, TeachingFile> pythonFiles = new LinkedHashMap<>();
        for (ServerCatalogue.PythonPeer p : ServerCatalogue.python()) {
            if (p.ownFile()) {
                pythonFiles.put(p.name(), TeachingFile.readPython(root, p.name(), p.script()));
            }
        }
        Map<String, TeachingFile> lineFiles = new LinkedHashMap<>();
        for (ServerCatalogue.Entry e : ServerCatalogue.lines()) {
            lineFiles.put(e.name(), switch (e) {
                case ServerCatalogue.PythonPeer p -> TeachingFile.readPython(root, p.name(), p.script());
                case ServerCatalogue.TeachingServer t -> TeachingFile.read(root, t);
                default -> throw new IllegalStateException(e.name() + " is a line server of no known kind");
            });
        }
        Path results = root.resolve("results");
        Path linesAllocPath = linesAllocationFile != null ? linesAllocationFile
                : AllocationSites.newestWithLines(results.resolve("alloc")).orElse(null);
        Path benchDir = benchRun != null ? benchRun : ResultsFile.newest(results).orElse(null);
        Optional<BenchRun> bench = benchDir == null ? Optional.empty() : Optional.of(ResultsFile.read(benchDir));
        Path jmhPath = jmhFile != null ? jmhFile : JmhRun.newest(results.resolve("jmh")).orElse(null);
        Optional<JmhRun> jmh = jmhPath == null ? Optional.empty() : Optional.of(JmhRun.read(jmhPath));
        Path allocPath = allocationFile != null ? allocationFile : AllocationSites.newest(results.resolve("alloc")).orElse(null);
        Optional<AllocationSites> allocation = allocPath == null ? Optional.empty() : Optional.of(AllocationSites.read(allocPath));
        Path scaleDir = scaleRun != null ? scaleRun : ResultsFile.newest(results, ResultsFile.SCALE).orElse(null);
        Path capacityDir = capacityRun != null ? capacityRun : ResultsFile.newest(results, ResultsFile.CAPACITY).orElse(null);
        Path variantsDir = variantsRun != null ? variantsRun : ResultsFile.newestWithVariants(results).orElse(null);
        return new CourseData(root, files, bench, benchDir, jmh, allocation,
                scaleDir == null ? Optional.empty() : Optional.of(ResultsFile.read(scaleDir)), scaleDir,
                capacityDir == null ? Optional.empty() : Optional.of(ResultsFile.read(capacityDir)), capacityDir,
                variantsDir == null ? Optional.empty() : Optional.of(ResultsFile.read(variantsDir)), variantsDir, pythonFiles,
                Run.read(pythonRun != null ? pythonRun : ResultsFile.newestWithPython(results, false).orElse(null)),
                Run.read(pythonScaleRun != null ? pythonScaleRun : ResultsFile.newestWithPython(results, true).orElse(null)),
                lineFiles, Run.read(linesRun != null ? linesRun : ResultsFile.newestWithLines(results).orElse(null)),
                linesAllocPath == null ? Optional.empty() : Optional.of(AllocationSites.read(linesAllocPath)));
    }

    /** The teaching files and the line servers' files, by server: what a lesson may quote. */
    public Map<String, TeachingFile> quotable() {
        Map<String, TeachingFile> all = new LinkedHashMap<>(files);
        all.putAll(lineFiles);
        return all;
    }

    public TeachingFile file(String server) {
        return files.get(server);
    }
}
