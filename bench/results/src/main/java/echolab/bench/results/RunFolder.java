package echolab.bench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import echolab.bench.base.RunOutput;

/**
 * A run's folder while it is measured, for bench, scale and capacity alike: results.json rewritten with the
 * run so far after each piece of work (an interrupted run keeps what it measured, marked not complete),
 * and at the end the run marked complete, with summary.md and the charts rendered from it.
 */
public final class RunFolder {

    private final Path dir;
    private final BenchRun.RunInfo started;
    private final Environment environment;
    private final List<BenchRun.ServerEntry> servers;

    /** A run of {@code profile} starting now in {@code dir} (already claimed), reproduced by {@code command}. */
    public RunFolder(Path dir, String profile, String command, Environment environment, List<BenchRun.ServerEntry> servers) {
        this.dir = dir;
        this.started = new BenchRun.RunInfo(dir.getFileName().toString(), profile, command, Instant.now().toString(), null, false);
        this.environment = environment;
        this.servers = servers;
    }

    public Path dir() {
        return dir;
    }

    /** The run so far, not complete. */
    public BenchRun snapshot(BenchRun.Settings settings, List<Scenario> scenarios, BenchRun.Kind kind) {
        return new BenchRun(BenchRun.SCHEMA, BenchRun.SCHEMA_VERSION, started, environment, settings, servers, scenarios, kind);
    }

    /** results.json rewritten with the run so far; a failure is said on stderr and the run goes on. */
    public void save(BenchRun.Settings settings, List<Scenario> scenarios, BenchRun.Kind kind) {
        try {
            ResultsFile.write(dir, snapshot(settings, scenarios, kind));
        } catch (IOException e) {
            System.err.println(started.profile() + ": cannot write results.json: " + e.getMessage());
        }
    }

    /** Marks the run complete; writes results.json, summary.md and the charts; returns the run. */
    public BenchRun finish(BenchRun.Settings settings, List<Scenario> scenarios, BenchRun.Kind kind) throws IOException {
        BenchRun done = new BenchRun(BenchRun.SCHEMA, BenchRun.SCHEMA_VERSION, new BenchRun.RunInfo(started.id(), started.profile(),
                started.command(), started.startedAt(), Instant.now().toString(), true), environment, settings, servers, scenarios,
                kind);
        ResultsFile.write(dir, done);
        render(dir, done);
        return done;
    }

    /** summary.md (written whole or not at all) and the charts of {@code run}, into {@code dir}. */
    public static void render(Path dir, BenchRun run) throws IOException {
        String summary = SummaryMarkdown.render(run);
        RunOutput.write(dir.resolve("summary.md"), true, null, into -> Files.writeString(into, summary));
        Charts.draw(dir, run);
    }
}
