package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.UnaryOperator;

import echolab.bench.harness.Launcher;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.results.ResultsFile;
import echolab.bench.base.RunOutput;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every measuring run that writes a folder under results/ (bench, scale, capacity), as a
 * picocli mixin: where the run goes, and whether the servers and the load are pinned to separate cores.
 */
public final class RunOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: a new folder under results/ named by the date, the time and the "
            + "run, e.g. results/2026-12-01T124511-default/); refused if it already holds a run, unless --replace.")
    Path out;

    @Option(names = "--replace", description = "With --out: empty a folder that already holds a run and write this one there.")
    boolean replace;

    @Option(names = "--no-pin", description = "Do not pin the servers and the load to separate cores.")
    boolean noPin;

    /** --out, claimed; or a new folder results/DATE'T'TIME-LABEL. A folder that holds a run is a usage error unless --replace. */
    private Path folder(Path root, String label) throws IOException {
        try {
            return out != null ? RunOutput.claimFolder(out, ResultsFile.NAME, replace, "--out")
                    : RunOutput.newFolder(root.resolve("results"),
                            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss")) + "-" + label);
        } catch (RunOutput.Taken e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** What a run has before it measures: its folder, the cores, the native peers, the launcher, and which servers can run. */
    public record Setup(Path dir, Pinning pinning, NativePeers natives, Launcher launcher, RunSetup.Servers servers) {
    }

    /**
     * Claims the run's folder (see {@link #folder}), pins as --no-pin asks, builds the native peers and finds
     * which of {@code servers} can start here, naming the others; {@code configure} adds to the launcher.
     */
    public Setup setUp(Path root, String label, List<Entry> servers, UnaryOperator<Launcher> configure)
            throws IOException, InterruptedException {
        Path dir = folder(root, label);
        NativePeers natives = NativePeers.build(root);
        Pinning pinning = Pinning.apply(noPin);
        Launcher launcher = configure.apply(new Launcher(Launcher.currentJava(), pinning, natives));
        return new Setup(dir, pinning, natives, launcher, RunSetup.available(servers, launcher, root, command.name()));
    }
}
