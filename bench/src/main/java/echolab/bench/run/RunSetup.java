package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.harness.Launcher;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.RunOutput;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every measuring run (bench, scale, capacity) does before it measures, in one place: the servers
 * the user chose, the folder the run claims under results/, and which servers can run on this machine.
 */
public final class RunSetup {

    private RunSetup() {
    }

    /** The servers of {@code --only} among those bench can run, or {@code otherwise}; an unknown one is a usage error. */
    public static List<Entry> servers(List<String> only, List<Entry> otherwise, CommandSpec spec) {
        try {
            return only == null ? otherwise : ServerCatalogue.named(only, ServerCatalogue.runnable());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code out}, claimed; or a new folder results/DATE'T'TIME-LABEL. A folder that holds a run is a usage error unless {@code replace}. */
    public static Path folder(Path out, boolean replace, Path root, String label, CommandSpec spec) throws IOException {
        try {
            return out != null ? RunOutput.claimFolder(out, ResultsFile.NAME, replace, "--out")
                    : RunOutput.newFolder(root.resolve("results"),
                            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss")) + "-" + label);
        } catch (RunOutput.Taken e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The servers as results.json lists them (with why one is skipped), and those that can run. */
    public record Servers(List<BenchRun.ServerEntry> entries, List<Entry> live) {
    }

    /** Which of {@code servers} can start here; the others are named on stderr with the reason, by {@code command}. */
    public static Servers available(List<Entry> servers, Launcher launcher, Path root, String command) throws InterruptedException {
        List<BenchRun.ServerEntry> entries = new ArrayList<>();
        List<Entry> live = new ArrayList<>();
        for (Entry s : servers) {
            String skipped = launcher.unavailable(s, root);
            entries.add(new BenchRun.ServerEntry(s.name(), s.kind().label(), s.oneAtATime(), launcher.command(s, root, List.of()), skipped));
            if (skipped == null) {
                live.add(s);
            } else {
                System.err.println(command + ": skipping " + s.name() + ": " + skipped);
            }
        }
        return new Servers(entries, live);
    }
}
