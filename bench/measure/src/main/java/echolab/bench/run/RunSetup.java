package echolab.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.harness.Launcher;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.results.BenchRun;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every measuring run (bench, scale, capacity) does before it measures, in one place: the servers
 * the user chose, and which servers can run on this machine.
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

    /** The servers as results.json lists them (with why one is skipped), and those that can run. */
    public record Servers(List<BenchRun.ServerEntry> entries, List<Entry> live) {
    }

    /** Which of {@code servers} can start here; the others are named on stderr with the reason, by {@code command}. */
    public static Servers available(List<Entry> servers, Launcher launcher, Path root, String command) throws InterruptedException {
        List<BenchRun.ServerEntry> entries = new ArrayList<>();
        List<Entry> live = new ArrayList<>();
        for (Entry s : servers) {
            String skipped = launcher.unavailable(s, root);
            entries.add(new BenchRun.ServerEntry(s.name(), s.kind().label(), s.oneAtATime(), launcher.command(s, root, List.of()), skipped,
                    s.streamTwin().orElse(null)));
            if (skipped == null) {
                live.add(s);
            } else {
                System.err.println(command + ": skipping " + s.name() + ": " + skipped);
            }
        }
        return new Servers(entries, live);
    }
}
