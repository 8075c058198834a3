package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.results.BenchRun;
import echolab.bench.results.Charts;
import echolab.bench.results.Environment;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;

/**
 * The run being measured: each trial is added to its scenario and results.json is rewritten at once,
 * so an interrupted run keeps what it measured; at the end, summary.md and the charts.
 */
final class RunRecorder {

    private final Path dir;
    private final BenchRun.RunInfo started;
    private final Environment environment;
    private final List<BenchRun.ServerEntry> servers;
    private final List<Scenario> scenarios = new ArrayList<>();
    private BenchRun.Settings settings;

    RunRecorder(Path dir, Profile profile, String command, Environment environment, List<BenchRun.ServerEntry> servers)
            throws IOException {
        this.dir = dir;
        this.started = new BenchRun.RunInfo(dir.getFileName().toString(), profile.label(), command, Instant.now().toString(), null, false);
        this.environment = environment;
        this.servers = servers;
        this.settings = new BenchRun.Settings(profile.connections(), profile.sizes(), profile.warmup().toMillis() / 1e3,
                profile.duration().toMillis() / 1e3, profile.rounds(), profile.openLoopConnections(),
                profile.openLoopDuration().toMillis() / 1e3, null, profile.idleConnections());
        Files.createDirectories(dir.resolve("hgrm"));
        ResultsFile.write(dir, snapshot(started));
    }

    void add(Scenario.Kind kind, int connections, int size, Double rate, Trial trial) {
        String id = Scenario.id(kind, connections, size);
        Scenario scenario = scenarios.stream().filter(s -> s.id().equals(id)).findFirst().orElseGet(() -> {
            Scenario created = new Scenario(id, kind, connections, size, rate, new ArrayList<>());
            scenarios.add(created);
            return created;
        });
        scenario.trials().add(trial);
        write();
    }

    void openLoopRate(double rate) {
        BenchRun.Settings s = settings;
        settings = new BenchRun.Settings(s.connections(), s.sizes(), s.warmupSeconds(), s.durationSeconds(), s.rounds(),
                s.openLoopConnections(), s.openLoopDurationSeconds(), rate, s.idleConnections());
        write();
    }

    BenchRun snapshot() {
        return snapshot(started);
    }

    /** Marks the run complete; writes results.json, summary.md and the charts. */
    BenchRun finish() throws IOException {
        BenchRun done = snapshot(new BenchRun.RunInfo(started.id(), started.profile(), started.command(), started.startedAt(),
                Instant.now().toString(), true));
        ResultsFile.write(dir, done);
        Files.writeString(dir.resolve("summary.md"), SummaryMarkdown.render(done));
        Charts.draw(dir, done);
        return done;
    }

    private BenchRun snapshot(BenchRun.RunInfo info) {
        return new BenchRun(BenchRun.SCHEMA, BenchRun.SCHEMA_VERSION, info, environment, settings, servers, scenarios, null, null);
    }

    private void write() {
        try {
            ResultsFile.write(dir, snapshot());
        } catch (IOException e) {
            System.err.println("bench: cannot write results.json: " + e.getMessage());
        }
    }
}
