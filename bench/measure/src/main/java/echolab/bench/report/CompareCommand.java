package echolab.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

import echolab.bench.harness.Machine;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Charts;
import echolab.bench.results.ResultsFile;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import echolab.bench.base.NotARun;

/** {@code ./echolab compare RUN_A RUN_B}: two bench runs side by side, with ratios, noise and environments. */
@Command(name = "compare", sortOptions = false, usageHelpAutoWidth = true,
        description = "Compare two bench runs (before/after a JDK upgrade, two machines, two commits): per server "
            + "and figure, A, B and B/A, with the range over the reference point's rounds and a mark where the "
            + "difference is inside that noise; the two environments side by side, with a warning where they "
            + "differ in cores, pinning, JDK, kernel or profile; and a chart of the ratios (compare.png, .svg).",
        footer = {"", "Example: ./echolab compare results/A-quick results/B-quick",
            "Exit status: 0 compared, 2 a folder is not a bench run or the schema versions cannot be compared."})
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The run to compare against (the 'before').")
    Path a;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The run compared (the 'after').")
    Path b;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also append the table to FILE (e.g. $GITHUB_STEP_SUMMARY).")
    Path markdown;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the chart goes (default: target/compare/<A>-vs-<B>).")
    Path out;


    @Override
    public Integer call() throws IOException {
        BenchRun runA;
        BenchRun runB;
        try {
            runA = ResultsFile.read(a);
            runB = ResultsFile.read(b);
        } catch (NotARun e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Comparison comparison = new Comparison(runA, runB);
        String table = comparison.markdown();
        System.out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Path dir = out != null ? out : Machine.root(null).resolve("target/compare")
                .resolve(runA.run().id() + "-vs-" + runB.run().id());
        Files.createDirectories(dir);
        Charts.save(dir, "compare", comparison.chart());
        System.err.println("compare: chart in " + dir.resolve("compare.png"));
        return 0;
    }
}
