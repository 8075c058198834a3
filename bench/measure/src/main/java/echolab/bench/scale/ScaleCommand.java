package echolab.bench.scale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import echolab.bench.harness.Checkout;
import echolab.bench.base.Durations;
import echolab.bench.base.Reproduce;
import echolab.bench.harness.Machine;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.remote.HostOptions;
import echolab.bench.remote.RemoteLoad;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Format;
import echolab.bench.results.Ladder;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.RunFolder;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;
import echolab.bench.run.RunOptions;
import echolab.bench.run.RunSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./echolab scale}: the connection ladder. Each server in a fresh process, pinned as in bench, is
 * stepped up through connection counts, holding every connection, until something gives; the run says
 * what gave, in words, and projects each model's ceiling on larger machines from what its connections cost.
 */
@Command(name = "scale", sortOptions = false, usageHelpAutoWidth = true,
        description = "How many connections each server holds before something gives, and what gives. Each server, in a "
            + "fresh process pinned as in bench, is stepped up through connection counts, holding every connection "
            + "open. At each step: connections opened / accepted / answering, RSS, live heap, threads and kernel "
            + "memory per connection, the time to open the step, the server's CPU while all are idle, one more "
            + "connection's round trip measured alone, and every connection active at a modest rate. A server stops "
            + "at the first step it does not hold, and the run says why, with the limit read from the machine "
            + "(descriptors, threads, memory, ports) and the command that would lift it. The clients are spread "
            + "over helper processes and loopback source addresses, so they are never the limit. From the costs per "
            + "connection, each model's ceiling on larger machines, on paper. Writes results.json, summary.md and "
            + "charts to results/<run>/.",
        footer = {"", "Default run (8 servers, steps 1,000 to the descriptor limit): about 6 minutes on 2 cores.",
            "Example: ./echolab scale --only selector,virtual-thread --steps 1000,10000",
            "Exit status: 0 every server climbed until it stopped, 1 the ladder itself failed for some server, 2 bad usage."})
public final class ScaleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--only", split = ",", paramLabel = "NAMES",
            description = "Only these servers (default: sync, thread-per-conn, selector, virtual-thread, netty, netty-uring, native, "
                + "native-uring; the variants and the Python peers of bench --only too, 'python' naming every Python peer).")
    List<String> only;

    @Option(names = "--steps", split = ",", paramLabel = "N,N,...", defaultValue = "1000,2000,5000,10000",
            description = "Connection counts to climb (default: ${DEFAULT-VALUE}).")
    List<Integer> steps;

    @Option(names = "--no-to-limit", description = "Stop after the last of --steps instead of doubling on up to the descriptor limit.")
    boolean noToLimit;

    @Option(names = "--server-nofile", paramLabel = "N",
            description = "Run the servers under this descriptor limit (soft and hard; with prlimit). Default: this tool's hard limit.")
    Long serverNofile;

    @Option(names = "--active-period", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "With every connection active, each sends one 64-byte message per this period (default: ${DEFAULT-VALUE}).")
    Duration activePeriod;

    @Option(names = "--active-duration", paramLabel = "DURATION", defaultValue = "3s", converter = Durations.class,
            description = "How long every connection is active at each step; its first period warms up, the rest is measured "
                + "(default: ${DEFAULT-VALUE}).")
    Duration activeDuration;

    @Option(names = "--memory-reserve", paramLabel = "MIB", defaultValue = "4096",
            description = "Do not start a step that would leave the machine less available memory than this, in MiB (default: ${DEFAULT-VALUE}).")
    long memoryReserveMiB;

    @Option(names = "--server-seconds", paramLabel = "S", defaultValue = "120",
            description = "The time one server may take; no step starts after it (default: ${DEFAULT-VALUE}).")
    double serverSeconds;

    @Mixin
    HostOptions hosts;

    @Option(names = "--server-address", paramLabel = "ADDR", description = "The address the servers listen on (default: 127.0.0.1); "
            + "with --load-hosts, one those hosts reach.")
    String serverAddress;

    @Mixin
    RunOptions run;

    @Mixin
    Checkout checkout;

    @Override
    public Integer call() throws Exception {
        Path root = checkout.root();
        List<Entry> servers = RunSetup.servers(only, ServerCatalogue.ALL, spec);
        if (hosts.loadFromHosts() && HostOptions.loopback(serverAddress)) {
            throw new ParameterException(spec.commandLine(), "--load-hosts needs --server-address: an address of this machine that "
                    + "the load hosts reach (the servers listen on 127.0.0.1 otherwise)");
        }
        long nofile = nofile();
        List<Integer> ladder = ladder(nofile);
        RemoteLoad.Hosts clientHosts = null;
        if (hosts.loadFromHosts()) {
            try {
                clientHosts = RemoteLoad.prepare(hosts.loadHosts(root)).hosts();
            } catch (RemoteLoad.Unusable e) {
                e.getMessage().lines().forEach(l -> System.err.println("scale: " + l));
                return 2;
            }
        }
        RunOptions.Setup setup = run.setUp(root, "scale", servers, launcher -> launcher.listeningOn(serverAddress));
        Path dir = setup.dir();
        RunSetup.Servers available = setup.servers();

        Ladder.Settings settings = new Ladder.Settings(ladder, !noToLimit, activePeriod.toMillis() / 1e3, activeDuration.toMillis() / 1e3,
                memoryReserveMiB, serverSeconds, nofile);
        Ladder.Limits limits = MachineLimits.read(nofile);
        RunFolder folder = new RunFolder(dir, ResultsFile.SCALE, Reproduce.of(spec), Machine.describe(root, setup.pinning()), available.entries());
        List<Scenario> scenarios = new ArrayList<>();
        for (int step : ladder) {
            scenarios.add(new Scenario(Scenario.id(Scenario.Kind.LADDER, step, Scenario.REFERENCE_SIZE), Scenario.Kind.LADDER, step,
                    Scenario.REFERENCE_SIZE, null, new ArrayList<>()));
        }
        List<Ladder.ServerLadder> verdicts = new ArrayList<>();
        BenchRun.Settings runSettings = new BenchRun.Settings(ladder, List.of(Scenario.REFERENCE_SIZE), 0.3, 1.0, 1, 1,
                activeDuration.toMillis() / 1e3, null, 0, null);
        System.err.printf("scale: %d servers, steps %s, servers under nofile %,d, writing to %s%n", available.live().size(),
                ladder, nofile, dir);
        RemoteLoad.Hosts there = clientHosts;
        Duration agentLimit = Duration.ofSeconds((long) serverSeconds).plusMinutes(5);     // a step begun at the last moment, and more
        Climb climb = new Climb(setup.launcher(), root, settings, limits, group -> there == null
                ? new Holders.Place.Here(setup.pinning(), group) : new Holders.Place.Hosts(there, agentLimit));
        long start = System.nanoTime();
        int failures = 0;
        int group = 1;
        for (Entry server : available.live()) {
            Climb.Outcome o = climb.climb(server, group++, ladder, line ->
                    System.err.printf("[%s] %s%n", Format.seconds((System.nanoTime() - start) / 1e9), line));
            for (int i = 0; i < o.steps().size(); i++) {
                int step = o.counts().get(i);
                Trial t = o.steps().get(i);
                if (t.status() == Trial.Status.FAILED) {               // the step it stopped at
                    t = t.withError(o.stop().limit().label + ": " + o.stop().why());
                }
                scenarios.stream().filter(s -> s.connections() == step).findFirst().orElseThrow().trials().add(t);
            }
            Ladder.Costs costs = Projections.costs(o);
            verdicts.add(new Ladder.ServerLadder(server.name(), o.highestHeld(), o.mostHeld(), o.stop(), costs,
                    Projections.project(costs, o.baseline())));
            System.err.printf("[%s] %s: highest step held %,d; stopped: %s: %s%n", Format.seconds((System.nanoTime() - start) / 1e9),
                    server.name(), o.highestHeld(), o.stop().limit().label, o.stop().why());
            if (o.stop().limit() == Ladder.Limit.LADDER_FAILED) {
                failures++;
            }
            folder.save(runSettings, nonEmpty(scenarios), new BenchRun.Scale(new Ladder(settings, limits, verdicts)));
        }
        BenchRun done = folder.finish(runSettings, nonEmpty(scenarios), new BenchRun.Scale(new Ladder(settings, limits, verdicts)));
        System.out.println();
        System.out.print(SummaryMarkdown.mainTable(done));
        System.out.printf("%nscale: done in %s; results in %s%n", Format.seconds((System.nanoTime() - start) / 1e9), dir);
        return failures == 0 ? 0 : 1;
    }

    /** The descriptor limit for the servers: --server-nofile, checked against what this tool may give, or its hard limit. */
    private long nofile() {
        long hard = MachineLimits.ownNofile()[1];
        if (serverNofile == null) {
            return hard;
        }
        if (serverNofile < 64) {
            throw new ParameterException(spec.commandLine(), "--server-nofile must be at least 64");
        }
        if (hard > 0 && serverNofile > hard) {
            throw new ParameterException(spec.commandLine(), String.format("--server-nofile %,d is above this tool's hard limit %,d, "
                    + "which only root with CAP_SYS_RESOURCE can raise (%s)", serverNofile, hard, Stops.LIFT_DESCRIPTORS));
        }
        if (!Pinning.onPath("prlimit")) {
            throw new ParameterException(spec.commandLine(), "--server-nofile needs prlimit (util-linux) on the PATH");
        }
        return serverNofile;
    }

    /** --steps in order, then (unless --no-to-limit) doubling to the descriptor limit, the last step at the limit itself. */
    private List<Integer> ladder(long nofile) {
        TreeSet<Integer> counts = new TreeSet<>();
        for (int s : steps) {
            if (s < 1 || s > 10_000_000) {
                throw new ParameterException(spec.commandLine(), "--steps: each count must be 1 to 10,000,000, not " + s);
            }
            counts.add(s);
        }
        if (!noToLimit && nofile > 0) {
            for (long next = counts.last(); next < nofile && next < 10_000_000; ) {
                next = Math.min(next * 2, nofile);
                counts.add((int) next);
            }
        }
        if (activePeriod.isZero() || activePeriod.isNegative() || activeDuration.isZero() || activeDuration.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--active-period and --active-duration must be positive");
        }
        return List.copyOf(counts);
    }

    private static List<Scenario> nonEmpty(List<Scenario> scenarios) {
        return scenarios.stream().filter(s -> !s.trials().isEmpty()).toList();
    }
}
