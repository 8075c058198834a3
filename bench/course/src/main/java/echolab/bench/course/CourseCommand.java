package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import echolab.bench.harness.Checkout;
import echolab.bench.harness.ChildProcess;
import echolab.bench.results.ResultsFile;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import echolab.bench.base.NotARun;

/** {@code ./echolab course}: the course site, generated from the teaching files and the newest runs. */
@Command(name = "course", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Write the course: a static site, generated from the teaching files and from real runs, that works opened "
                + "from disk with nothing fetched from anywhere.",
            "",
            "Pages: the four servers side by side, aligned by numbered section, with a diff of any two; a lesson per "
                + "model with the lines that cause its cost (quoted from the files) and the figures that show it (read from "
                + "a bench run, a JMH run and an allocation-sites run); an overview that ranks the models; the Python files "
                + "the models come from beside their Java twins, with the figures of a run of both (From the seeds); a lesson on "
                + "framing, the line servers beside each other and beside their stream twins; the exercises. "
                + "Every figure names its run, its machine and the command that reproduces it; a run that is missing is "
                + "named with the command that produces it. Nothing is measured."},
        footer = {"", "Example: ./echolab bench --profile quick && ./echolab course --open",
            "Exit status: 0 written; 1 a lesson no longer matches the teaching files; 2 bad usage (a run that is not readable)."})
public final class CourseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--results", paramLabel = "DIR", description = "The bench run (default: the newest under results/).")
    Path results;

    @Option(names = "--jmh", paramLabel = "FILE", description = "The JMH JSON (default: the newest under results/jmh/).")
    Path jmh;

    @Option(names = "--alloc", paramLabel = "FILE", description = "The allocation-sites JSON (default: the newest under results/alloc/).")
    Path alloc;

    @Option(names = "--scale", paramLabel = "DIR", description = "The scale run (default: the newest under results/).")
    Path scale;

    @Option(names = "--capacity", paramLabel = "DIR", description = "The capacity run (default: the newest under results/).")
    Path capacity;

    @Option(names = "--variants", paramLabel = "DIR", description = "The bench run of the variants, for the poller modes "
            + "(default: the newest under results/ that measured one).")
    Path variants;

    @Option(names = "--python", paramLabel = "DIR", description = "The bench run of the Python peers beside the four servers, for "
            + "seeds.html (default: the newest under results/ that measured one).")
    Path python;

    @Option(names = "--python-scale", paramLabel = "DIR", description = "The scale run of the Python peers beside the four servers, "
            + "for seeds.html (default: the newest under results/ that measured one).")
    Path pythonScale;

    @Option(names = "--lines", paramLabel = "DIR", description = "The bench run of the line servers beside their stream twins, "
            + "for the framing lesson (default: the newest under results/ that measured one).")
    Path lines;

    @Option(names = "--lines-alloc", paramLabel = "FILE", description = "The allocation-sites JSON of the line servers beside "
            + "their stream twins (default: the newest under results/alloc/ that recorded one).")
    Path linesAlloc;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the site (default: target/course/).")
    Path out;

    @Option(names = "--open", description = "Open the side-by-side page in the desktop's browser when done.")
    boolean open;

    @Option(names = "--screenshots", paramLabel = "DIR",
            description = "Also take screenshots of the side-by-side page and a lesson with headless Chromium, into DIR "
                + "(results/course/ for the committed ones).")
    Path screenshots;

    @Mixin
    Checkout checkout;


    @Override
    public Integer call() throws Exception {
        Path root = checkout.root();
        Path site = (out != null ? out : root.resolve("target").resolve("course")).toAbsolutePath().normalize();
        long started = System.nanoTime();
        CourseData data;
        try {
            data = CourseData.read(root, results, jmh, alloc, scale, capacity, variants, python, pythonScale, lines, linesAlloc);
        } catch (NotARun e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CourseSite.Written written;
        try {
            written = CourseSite.write(data, site);
        } catch (Lessons.LessonError e) {
            System.err.println("course: " + e.getMessage());
            return 1;
        }
        System.err.printf("course: wrote %d pages to %s in %.1f s%n", written.pages().size(), site, (System.nanoTime() - started) / 1e9);
        System.err.println("course: bench run " + data.bench().map(r -> r.run().id()).orElse("none (run ./echolab bench)")
                + "; JMH run " + data.jmh().map(JmhRun::id).orElse("none (run " + Figures.JMH_COMMAND + ")")
                + "; allocation sites " + data.allocation().map(a -> a.id()).orElse("none (run " + Figures.ALLOC_COMMAND + ")"));
        if (!written.missingFigures().isEmpty()) {
            System.err.println("course: pages with a figure their runs could not give (each says which command produces it): "
                    + String.join(", ", written.missingFigures()));
        }
        System.out.println(site.resolve("index.html").toUri());
        if (screenshots != null) {
            List<Path> shots = Screenshots.take(site, screenshots.toAbsolutePath().normalize());
            shots.forEach(p -> System.err.println("course: screenshot " + p));
        }
        if (open) {
            openInBrowser(site.resolve("index.html"));
        }
        return 0;
    }

    private static void openInBrowser(Path page) throws InterruptedException {
        try {
            ChildProcess.Result r = ChildProcess.run(List.of("xdg-open", page.toUri().toString()), null, Duration.ofSeconds(20));
            if (!r.ok()) {
                System.err.println("course: could not open a browser (xdg-open exit " + r.exitCode() + "); open " + page.toUri());
            }
        } catch (IOException e) {
            System.err.println("course: could not open a browser (" + e.getMessage() + "); open " + page.toUri());
        }
    }
}
