package echolab.bench.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.Callable;

import echolab.bench.base.Durations;
import echolab.bench.harness.Checkout;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.Machine;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import echolab.bench.base.RunOutput;
import echolab.bench.results.Format;
import picocli.CommandLine.Option;

/**
 * {@code ./echolab check}: the regression gate. Like with like, on one machine, in one job: the base
 * revision and the working tree, built with the same JDK, measured in interleaved rounds (seeded random
 * order, fresh JVMs every time), compared as paired log-ratios with a trimmed-mean interval (see Gate, PairedRatio).
 */
@Command(name = "check", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Compare the working tree with a base revision and fail on a performance regression.",
            "",
            "Builds the base in a git worktree (.check/<sha>), then runs base and candidate servers in fresh "
                + "JVMs, interleaved in a seeded random order, round after round. Metrics per server, all "
                + "oriented so that higher is worse: time and server CPU per message (the primary metrics); read "
                + "and write system calls and bytes per message, voluntary context switches per message, bytes "
                + "allocated per message and threads started (counters that barely move with the machine's noise); "
                + "involuntary context switches, and with --open-loop p50 and p99 at a fixed rate (reported, not judged).",
            "",
            "Per metric: the 20%% trimmed mean of the paired log-ratios candidate/base with Yuen's 90%% "
                + "interval, whose top is the largest regression the rounds rule out. FAIL, still so after 4 confirming "
                + "rounds: for time and CPU, the interval wholly above 0 at a confidence shared by all of them (Bonferroni) "
                + "and the estimate at least +2%%; for the counters, wholly above +2%% and at least +5%%. PASS: time and "
                + "CPU rule out the --target, the counters +10%%. A server gets rounds while a question is open, as long as "
                + "the --budget has room for them. When the budget ends first, PASS still if time and CPU rule out 10%%, "
                + "saying what they ruled out and what would reach the target; NOISY if not."},
        footer = {"", "Exit status: 0 pass; 1 a confirmed regression (FAIL); 2 bad usage, or a build or child process that "
                + "failed or hung; 3 NOISY: the run could not have seen a 10%% regression (more rounds, a quieter runner, pinning)."})
public final class CheckCommand implements Callable<Integer> {

    static final int MIN_ROUNDS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--base", paramLabel = "REV",
            description = "Base revision (default: the merge-base with main; on main, HEAD~1).")
    String base;

    @Option(names = "--budget", paramLabel = "TIME", defaultValue = "5m", converter = Durations.class,
            description = "The run's time, from ./echolab's start (its build and the base build included); no round starts "
                    + "that could not finish inside it (default: ${DEFAULT-VALUE}).")
    Duration budget;

    @Option(names = "--target", paramLabel = "PERCENT", defaultValue = "5",
            description = "The regression of time and CPU per message to rule out, from 1 to " + PairedRatio.NOISY_ABOVE_PERCENT
                    + " (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Rounds before the first verdict, at least 5 (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--max-rounds", paramLabel = "N", description = "Cap when still open (default: four times --rounds).")
    Integer maxRounds;

    @Option(names = "--servers", split = ",", paramLabel = "NAMES",
            defaultValue = "sync,thread-per-conn,selector,virtual-thread",
            description = "Servers to compare (default: ${DEFAULT-VALUE}); also the variants virtual-thread+pollerMode=1, "
                + "virtual-thread+pollerMode=3, virtual-thread+carriers=1, and the line servers selector-lines, virtual-thread-lines "
                + "(loaded with lines).")
    List<String> servers;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "2s", converter = Durations.class,
            description = "Closed-loop time measured per version and round, in four alternating windows (default: ${DEFAULT-VALUE}; twice "
                    + "that for a server that serves one connection at a time, whose CPU the kernel's tick samples less often).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "862", description = "Seed of the order of servers, versions and windows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON; refused if FILE exists, unless --replace.")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write JUnit XML, a test case per server and judged metric (FAIL a failure, NOISY an error), for a "
                + "CI system's test report.")
    Path junit;

    @Option(names = "--bmf", paramLabel = "FILE", description = "Also write the Bencher Metric Format (JSON), for Bencher.")
    Path bmf;

    @Option(names = "--github-benchmark", paramLabel = "FILE",
            description = "Also write github-action-benchmark's customSmallerIsBetter JSON.")
    Path githubBenchmark;

    @Option(names = "--replace", description = "Overwrite the files of --json, --junit, --bmf and --github-benchmark if they exist.")
    boolean replace;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also append the table to FILE. Under GitHub Actions it is appended to $GITHUB_STEP_SUMMARY as well.")
    Path markdown;

    @Option(names = "--inject-slowdown", paramLabel = "PERCENT", hidden = true,
            description = "Test only: make the candidate's servers spend PERCENT more CPU per echo.")
    double injectSlowdown;

    @Option(names = "--inject-syscall", hidden = true,
            description = "Test only: make the candidate's servers do one more write system call per echo.")
    boolean injectSyscall;

    @Option(names = "--open-loop", description = "Also measure open-loop p50 and p99 at a fixed rate (half the closed loop's "
            + "throughput) in the first three rounds: reported, never judged (their paired ratios swing by a factor of two "
            + "on a shared machine); about 2.5 s more per server and round.")
    boolean openLoop;

    @Option(names = "--no-pin", description = "Do not pin servers and generator to separate cores.")
    boolean noPin;

    @Mixin
    Checkout checkout;

    private Path root;


    @Override
    public Integer call() throws Exception {
        Budget clock = Budget.startedByLauncher(budget);
        root = checkout.root();
        int cap = maxRounds != null ? maxRounds : 4 * rounds;
        if (rounds < MIN_ROUNDS || cap < rounds) {   // fewer pairs, once trimmed, leave too little to judge by
            throw new ParameterException(spec.commandLine(), "--rounds must be at least " + MIN_ROUNDS + " and --max-rounds at least --rounds");
        }
        if (!(target >= 1 && target <= PairedRatio.NOISY_ABOVE_PERCENT)) {
            throw new ParameterException(spec.commandLine(), "--target must be from 1 to " + PairedRatio.NOISY_ABOVE_PERCENT + " (percent), not " + target);
        }
        if (budget.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ParameterException(spec.commandLine(), "--budget must be at least 1m: the base build and a round of each server need it");
        }
        List<ServerCatalogue.TeachingServer> entries;
        try {
            entries = ServerCatalogue.named(servers, ServerCatalogue.checkable());
            checkFree(json, "--json");
            checkFree(junit, "--junit");
            checkFree(bmf, "--bmf");
            checkFree(githubBenchmark, "--github-benchmark");
        } catch (IllegalArgumentException | RunOutput.Taken e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String baseRev = base != null ? base : BaseBuild.defaultBase(root);
        String baseSha = Machine.git(root, "rev-parse", "--verify", baseRev + "^{commit}");
        if (baseSha == null) {
            throw new ParameterException(spec.commandLine(), "'" + baseRev + "' is not a revision of this repository");
        }
        Pinning pinning;
        Gate.Outcome outcome;
        ServerMeasurer measurer;
        try {
            Path baseTree = BaseBuild.build(root, baseSha, entries);
            pinning = Pinning.apply(noPin);
            System.err.printf("check: base %s (%s) vs working tree; servers %s; target %s; budget %s (%s left); %d to %d rounds; seed %d%n",
                    baseRev, baseSha.substring(0, 12), servers, GateReport.percent(target / 100), Format.seconds(budget.toSeconds()),
                    Format.seconds(budget.minus(clock.elapsed()).toSeconds()), rounds, cap, seed);
            Launcher launcher = new Launcher(Launcher.currentJava(), pinning, NativePeers.none());
            measurer = new ServerMeasurer(launcher, baseTree, root, duration, injectSlowdown, injectSyscall);
            outcome = new Gate(measurer, ServerCatalogue.names(entries), new Gate.Plan(rounds, cap, target / 100, clock), seed, openLoop,
                    System.err).run();
        } catch (IOException e) {
            System.err.println("check: " + e.getMessage());
            return 2;
        }
        String table = GateReport.table(baseRev, baseSha, outcome);
        System.out.print(table);
        Set<Path> summaries = new LinkedHashSet<>();         // the same file named twice gets the table once
        String stepSummary = System.getenv("GITHUB_STEP_SUMMARY");
        Stream.of(markdown, stepSummary == null || stepSummary.isBlank() ? null : Path.of(stepSummary)).filter(Objects::nonNull)
                .forEach(p -> summaries.add(p.toAbsolutePath().normalize()));
        for (Path summary : summaries) {
            Files.writeString(summary, table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        String status = Machine.git(root, "status", "--porcelain", "--untracked-files=no");
        CiReports.Versions versions = new CiReports.Versions(baseRev, baseSha, Machine.git(root, "rev-parse", "HEAD"),
                status != null && !status.isBlank());
        if (json != null) {
            GateReport.writeJson(json, replace, versions, seed, new GateReport.Injected(injectSlowdown, injectSyscall, new java.util.TreeMap<>(measurer.spinNanos())), outcome,
                    Machine.describe(root, pinning));
        }
        if (junit != null) {
            CiReports.junit(junit, replace, versions, outcome);
        }
        if (bmf != null) {
            CiReports.bmf(bmf, replace, outcome);
        }
        if (githubBenchmark != null) {
            CiReports.githubBenchmark(githubBenchmark, replace, versions, outcome);
        }
        return outcome.verdict().exitCode();
    }

    /** Before anything is built or run: a report file the user named that exists is refused, unless --replace. */
    private void checkFree(Path file, String option) throws RunOutput.Taken {
        if (file != null) {
            RunOutput.checkFree(file, replace, option);
        }
    }
}
