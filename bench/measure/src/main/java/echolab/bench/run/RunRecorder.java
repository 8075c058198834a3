package echolab.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.results.BenchRun;
import echolab.bench.results.CpuShare;
import echolab.bench.results.Environment;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.RunFolder;
import echolab.bench.results.Scenario;
import echolab.bench.results.Trial;

/**
 * The bench run being measured: each trial is added to its scenario and the run's folder saved at once
 * ({@link RunFolder}), so an interrupted run keeps what it measured; at the end, summary.md and the charts.
 */
final class RunRecorder {

    private final RunFolder folder;
    private final List<Scenario> scenarios = new ArrayList<>();
    private BenchRun.Settings settings;

    RunRecorder(Path dir, Profile profile, CpuShare heldTo, String command, Environment environment,
                List<BenchRun.ServerEntry> servers) throws IOException {
        this.folder = new RunFolder(dir, profile.label(), command, environment, servers);
        this.settings = new BenchRun.Settings(profile.connections(), profile.sizes(), profile.warmup().toMillis() / 1e3,
                profile.duration().toMillis() / 1e3, profile.rounds(), profile.openLoopConnections(),
                profile.openLoopDuration().toMillis() / 1e3, null, profile.idleConnections(), heldTo);
        Files.createDirectories(dir.resolve("hgrm"));
        ResultsFile.write(dir, snapshot());
    }

    void add(Scenario.Kind kind, int connections, int size, Double rate, Trial trial) {
        String id = Scenario.id(kind, connections, size);
        Scenario scenario = scenarios.stream().filter(s -> s.id().equals(id)).findFirst().orElseGet(() -> {
            Scenario created = new Scenario(id, kind, connections, size, rate, new ArrayList<>());
            scenarios.add(created);
            return created;
        });
        scenario.trials().add(trial);
        folder.save(settings, scenarios, new BenchRun.SideBySide());
    }

    void openLoopRate(double rate) {
        BenchRun.Settings s = settings;
        settings = new BenchRun.Settings(s.connections(), s.sizes(), s.warmupSeconds(), s.durationSeconds(), s.rounds(),
                s.openLoopConnections(), s.openLoopDurationSeconds(), rate, s.idleConnections(), s.heldTo());
        folder.save(settings, scenarios, new BenchRun.SideBySide());
    }

    BenchRun snapshot() {
        return folder.snapshot(settings, scenarios, new BenchRun.SideBySide());
    }

    /** Marks the run complete; writes results.json, summary.md and the charts. */
    BenchRun finish() throws IOException {
        return folder.finish(settings, scenarios, new BenchRun.SideBySide());
    }
}
