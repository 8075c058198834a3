package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Path;
import echolab.bench.base.Json;

/**
 * results/reference.json: the one place that names the committed reference runs (a bench run's folder, a
 * JMH file, an allocation-sites file, a scale run's folder, a capacity run's, a bench run of the variants, and
 * a bench run and a scale run of the Python peers beside the four servers, as paths under results/). What keeps the README and the docs true
 * reads them from here, never "the newest run", so a user's own runs beside them change nothing.
 */
public record ReferenceRuns(String bench, String jmh, String alloc, String scale, String capacity, String variants, String python,
                            String pythonScale, String lines, String linesAlloc) {

    public static final String FILE = "reference.json";

    /** Reads results/reference.json under the checkout {@code root}; an IOException naming the file otherwise. */
    public static ReferenceRuns of(Path root) throws IOException {
        Path file = root.resolve("results").resolve(FILE);
        ReferenceRuns runs = Json.convert(Json.readTree(file), ReferenceRuns.class, file, "the reference runs' record");
        if (runs.bench == null || runs.jmh == null || runs.alloc == null || runs.scale == null || runs.capacity == null
                || runs.variants == null || runs.python == null || runs.pythonScale == null || runs.lines == null
                || runs.linesAlloc == null) {
            throw new IOException(file + " must name a bench run, a JMH file, an allocation-sites file, a scale run, a capacity run, "
                    + "a bench run of the variants, a bench run and a scale run of the Python peers, and a bench run and an "
                    + "allocation-sites file of the line servers beside their stream twins");
        }
        return runs;
    }

    /** The reference bench run's folder. */
    public Path benchDir(Path root) {
        return root.resolve("results").resolve(bench);
    }

    /** The reference scale run's folder. */
    public Path scaleDir(Path root) {
        return root.resolve("results").resolve(scale);
    }

    /** The reference capacity run's folder. */
    public Path capacityDir(Path root) {
        return root.resolve("results").resolve(capacity);
    }

    /** The reference bench run of the variants' folder. */
    public Path variantsDir(Path root) {
        return root.resolve("results").resolve(variants);
    }

    /** The reference bench run of the Python peers' folder. */
    public Path pythonDir(Path root) {
        return root.resolve("results").resolve(python);
    }

    /** The reference scale run of the Python peers' folder. */
    public Path pythonScaleDir(Path root) {
        return root.resolve("results").resolve(pythonScale);
    }

    /** The reference JMH JSON. */
    public Path jmhFile(Path root) {
        return root.resolve("results").resolve(jmh);
    }

    /** The reference bench run of the line servers beside their stream twins. */
    public Path linesDir(Path root) {
        return root.resolve("results").resolve(lines);
    }

    /** The reference allocation-sites JSON of the Java line servers and their stream twins, at one and ten messages a write. */
    public Path linesAllocFile(Path root) {
        return root.resolve("results").resolve(linesAlloc);
    }

    /** The reference allocation-sites JSON. */
    public Path allocFile(Path root) {
        return root.resolve("results").resolve(alloc);
    }
}
