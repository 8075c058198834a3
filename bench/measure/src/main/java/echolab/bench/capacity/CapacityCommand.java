package echolab.bench.capacity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import echolab.bench.harness.Checkout;
import echolab.bench.base.Durations;
import echolab.bench.base.Reproduce;
import echolab.bench.harness.Machine;
import echolab.bench.harness.Measurement;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.load.LoadConfig;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Format;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.RunFolder;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Target;
import echolab.bench.results.TargetReport;
import echolab.bench.results.Trial;
import echolab.bench.run.RunOptions;
import echolab.bench.run.RunSetup;
import echolab.bench.run.Scenarios;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./echolab capacity}: for each server, the highest open-loop rate it sustains while a latency
 * percentile stays under a target ({@link RateSearch}), with every trial of the search kept, the answers
 * side by side and the latency-against-rate curves of all servers on one chart.
 */
@Command(name = "capacity", sortOptions = false, usageHelpAutoWidth = true,
        description = "The highest rate each server sustains while its latency stays under a target: for each server, in a "
            + "fresh process pinned as in bench, an open-loop search (double the rate while the target is met, "
            + "bisect to the precision, confirm the answer with a second trial). Latency is corrected for "
            + "coordinated omission (counted from each message's planned send). A rate the generator cannot deliver "
            + "(its thread saturated, or its own sends late) is reported as the generator's limit, never as the "
            + "server's; a miss is measured twice before it is believed. Writes "
            + "results.json, summary.md, every trial's .hgrm and the latency-against-rate chart (PNG, SVG) to "
            + "results/<run>/.",
        footer = {"", "Default run (8 servers, p99 <= 1 ms, 100 connections): about 6 minutes on 2 cores.",
            "Example: ./echolab capacity --only selector,netty --p999 2ms --connections 1000",
            "Exit status: 0 a search ran for every server, 1 some server could not be measured, 2 bad usage."})
public final class CapacityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--only", split = ",", paramLabel = "NAMES",
            description = "Only these servers (default: all eight of bench; the variants and the Python peers of bench --only too, "
                + "'python' naming every Python peer).")
    List<String> only;

    /** The target: one percentile and its latency, p99 <= 1 ms unless one of these is given. */
    static final class Goal {
        @Option(names = "--p50", paramLabel = "DURATION", converter = Durations.class, description = "Target for the median.")
        Duration p50;
        @Option(names = "--p90", paramLabel = "DURATION", converter = Durations.class, description = "Target for p90.")
        Duration p90;
        @Option(names = "--p99", paramLabel = "DURATION", converter = Durations.class, description = "Target for p99 (the default: 1ms).")
        Duration p99;
        @Option(names = "--p999", paramLabel = "DURATION", converter = Durations.class, description = "Target for p99.9.")
        Duration p999;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nThe target (one of):%n")
    Goal goal;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "100",
            description = "Connections the rate is spread over (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--precision", paramLabel = "PERCENT", defaultValue = "5",
            description = "Stop bisecting when the rates that met and missed are within this many percent (default: ${DEFAULT-VALUE}).")
    double precisionPercent;

    @Option(names = "--start-rate", paramLabel = "MSG/S", defaultValue = "8000",
            description = "The first rate tried (default: ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "500ms", converter = Durations.class,
            description = "Warm-up of each trial (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "Measured window of each trial (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "24",
            description = "Most trials of one search before its confirmation, rechecks included (default: ${DEFAULT-VALUE}).")
    int maxTrials;

    @Mixin
    RunOptions run;

    @Mixin
    Checkout checkout;

    @Override
    public Integer call() throws Exception {
        Path root = checkout.root();
        Target.Settings settings = settings();
        List<Entry> servers = RunSetup.servers(only, ServerCatalogue.ALL, spec);
        RunOptions.Setup setup = run.setUp(root, "capacity", servers, launcher -> launcher);
        Path dir = setup.dir();
        RunSetup.Servers available = setup.servers();
        Files.createDirectories(dir.resolve("hgrm"));
        Scenarios scenarios = new Scenarios(setup.launcher(), root, dir);
        RunFolder folder = new RunFolder(dir, ResultsFile.CAPACITY, Reproduce.of(spec), Machine.describe(root, setup.pinning()),
                available.entries());
        BenchRun.Settings runSettings = new BenchRun.Settings(List.of(connections), List.of(size), warmup.toMillis() / 1e3,
                duration.toMillis() / 1e3, 1, connections, duration.toMillis() / 1e3, null, 0, null);
        Scenario scenario = new Scenario(Scenario.id(Scenario.Kind.TARGET, connections, size), Scenario.Kind.TARGET, connections, size,
                null, new ArrayList<>());
        List<Target.Answer> answers = new ArrayList<>();
        System.err.printf("capacity: %d servers, %s <= %s us at %d connections x %d B, writing to %s%n", available.live().size(),
                settings.percentile().name().toLowerCase(), Format.number(settings.targetMicros(), "%,.0f"), connections, size, dir);
        long start = System.nanoTime();
        int failures = 0;
        RateSearch search = new RateSearch(settings, maxTrials);
        for (Entry server : available.live()) {
            Target.Answer answer;
            try (ServerProcess process = scenarios.warmStart(server, Duration.ofMillis(1500))) {
                // The open loop's own paths, in this JVM and the server, warmed at the first rate before anything counts.
                Measurement.of(process, Scenarios.load(connections, size, Duration.ofMillis(500), Duration.ofSeconds(1)).withRate(startRate));
                RateSearch.Result result = search.run(server.name(), (rate, round) -> {
                    LoadConfig config = Scenarios.load(connections, size, warmup, duration).withRate(rate);
                    Trial t = scenarios.point(process, server, config, round);
                    System.err.printf("[%s] %s at %,.0f msg/s: %s%n", Format.seconds((System.nanoTime() - start) / 1e9), server.name(), rate,
                            t.load() == null ? "failed: " + t.error() : String.format("delivered %,.0f, %s %s us",
                                    t.throughput(), settings.percentile().name().toLowerCase(), Format.micros(t.latency(settings.percentile()))));
                    return t;
                });
                scenario.trials().addAll(result.trials());
                answer = result.answer();
            } catch (java.io.IOException | RuntimeException e) {
                answer = new Target.Answer(server.name(), null, false, "could not be measured: " + e.getMessage(), null);
                failures++;
            }
            answers.add(answer);
            System.err.printf("[%s] %s: %s%n", Format.seconds((System.nanoTime() - start) / 1e9), server.name(), TargetReport.answerText(answer));
            folder.save(runSettings, List.of(scenario), new BenchRun.Capacity(new Target(settings, answers)));
        }
        BenchRun done = folder.finish(runSettings, List.of(scenario), new BenchRun.Capacity(new Target(settings, answers)));
        System.out.println();
        System.out.print(SummaryMarkdown.mainTable(done));
        System.out.printf("%ncapacity: done in %s; results in %s%n", Format.seconds((System.nanoTime() - start) / 1e9), dir);
        return failures == 0 ? 0 : 1;
    }

    /** The target and the search's settings; a bad value is a usage error. */
    private Target.Settings settings() {
        Percentile percentile = Percentile.P99;
        Duration target = Duration.ofMillis(1);
        if (goal != null) {
            percentile = goal.p50 != null ? Percentile.P50 : goal.p90 != null ? Percentile.P90 : goal.p99 != null ? Percentile.P99 : Percentile.P999;
            target = goal.p50 != null ? goal.p50 : goal.p90 != null ? goal.p90 : goal.p99 != null ? goal.p99 : goal.p999;
        }
        if (target.isZero() || target.isNegative()) {
            throw new ParameterException(spec.commandLine(), "the latency target must be positive");
        }
        if (precisionPercent < 0.5 || precisionPercent > 50) {
            throw new ParameterException(spec.commandLine(), "--precision must be 0.5 to 50 (percent)");
        }
        if (startRate < 1 || maxTrials < 2 || connections < 1) {
            throw new ParameterException(spec.commandLine(), "--start-rate, --connections must be at least 1 and --max-trials at least 2");
        }
        try {
            Scenarios.load(connections, size, warmup, duration).withRate(startRate);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new Target.Settings(percentile, target.toNanos() / 1e3, connections, size, precisionPercent / 100, warmup.toMillis() / 1e3,
                duration.toMillis() / 1e3, startRate);
    }
}
