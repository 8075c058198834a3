package echolab.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import echolab.bench.results.BenchRun;
import echolab.bench.results.RunFolder;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.SummaryMarkdown;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import echolab.bench.base.NotARun;

/** {@code ./echolab report RUN_DIR}: summary.md and the charts again, from results.json alone. */
@Command(name = "report", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = false,
        description = "Re-render a bench run's summary.md and charts (PNG, SVG) from its results.json, e.g. after "
            + "a chart changed, or for an older run. Nothing is measured.",
        footer = {"", "Example: ./echolab report results/2026-11-23T1300-default",
            "Exit status: 0 written, 2 the folder is not a bench run of this schema version."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A folder written by ./echolab bench.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        BenchRun run;
        try {
            run = ResultsFile.read(dir);
        } catch (NotARun e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path folder = Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent();
        RunFolder.render(folder, run);
        System.out.print(SummaryMarkdown.mainTable(run));
        System.err.println("report: wrote summary.md and the charts in " + folder);
        return 0;
    }
}
