package echolab.bench.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


import echolab.bench.exercise.ContractRunner.TestResult;
import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerProcess;
import echolab.contract.FramingChecks;
import echolab.contract.WireContract;
import echolab.bench.base.Json;

/**
 * Runs the contract suite against one server in a JVM of its own ({@link ContractRunner}), with the
 * given classes ahead of bench.jar on its class path, under a real timeout: a broken server that hangs
 * the suite is killed and named. Read timeouts are shortened to {@value #READ_TIMEOUT_MILLIS} ms, so a
 * server that never answers fails a test in seconds. A Python peer's file is held to the contract on the
 * wire instead ({@link #onTheWire}): each check of {@link WireContract} (a line server's: of {@link FramingChecks}) against a process of its own.
 */
public final class ContractSuite {

    static final Duration TIMEOUT = Duration.ofMinutes(6);
    static final int READ_TIMEOUT_MILLIS = 4_000;

    private ContractSuite() {
    }

    /** The outcome of every test; IOException when the suite's JVM hung or printed no results. */
    public static List<TestResult> run(String server, List<Path> ahead, Path benchJar) throws IOException, InterruptedException {
        List<String> classpath = new ArrayList<>();
        ahead.forEach(p -> classpath.add(p.toString()));
        classpath.add(benchJar.toString());
        List<String> command = List.of(Launcher.currentJava(), "-Xmx1g", "-XX:+UseSerialGC",
                "-Decholab.test.readTimeoutMillis=" + READ_TIMEOUT_MILLIS, "-cp", String.join(java.io.File.pathSeparator, classpath),
                ContractRunner.class.getName(), server);
        ChildProcess.Result r;
        try {
            r = ChildProcess.run(command, null, TIMEOUT);
        } catch (ChildProcess.TimedOut e) {
            throw new IOException("the contract suite against " + server + " hung: killed after " + TIMEOUT.toMinutes() + " min");
        }
        List<TestResult> results = new ArrayList<>();
        r.output().lines().filter(l -> l.startsWith(ContractRunner.PREFIX)).forEach(l -> {
            try {
                results.add(Json.MAPPER.readValue(l.substring(ContractRunner.PREFIX.length()), TestResult.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (results.isEmpty()) {
            String out = r.output().strip();
            throw new IOException("the contract suite against " + server + " reported no test (exit " + r.exitCode() + ")"
                    + (out.isEmpty() ? "" : ": " + out.substring(Math.max(0, out.length() - 1500))));
        }
        return results;
    }

    /** The most one check on the wire may take; past it the check is aborted and its server stopped. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Each check of the contract on the wire against {@code peer} run from {@code tree} (a checkout, or an
     * exercise's scratch tree), each on a server started for it, so that one that kills the server fails alone.
     * A check that needs two connections served at once is skipped, with the reason, for a peer that serves one
     * at a time. IOException when the peer cannot start at all.
     */
    public static List<TestResult> onTheWire(ServerCatalogue.PythonPeer peer, Path tree) throws IOException, InterruptedException {
        Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), NativePeers.none());
        String problem = launcher.unavailable(peer, tree);
        if (problem != null) {
            throw new IOException(peer.name() + " cannot run here: " + problem);
        }
        List<TestResult> results = new ArrayList<>();
        if (peer.terminator().isPresent()) {                 // a line server: the framing contract, each check framed as it asks
            for (FramingChecks.Check check : FramingChecks.CHECKS) {
                try (ServerProcess server = launcher.start(peer, tree, check.framing())) {
                    results.add(run(check.name(), check.body(), server));
                }
            }
            return results;
        }
        for (WireContract.Check check : WireContract.CHECKS) {
            if (check.concurrent() && peer.oneAtATime()) {
                results.add(new TestResult(check.name(), "SKIPPED", peer.name() + " serves one connection at a time (its model)"));
                continue;
            }
            try (ServerProcess server = launcher.start(peer, tree, List.of())) {
                results.add(run(check.name(), check.body(), server));
            }
        }
        return results;
    }

    private static TestResult run(String name, WireContract.Body body, ServerProcess server) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        FutureTask<Void> task = new FutureTask<>(() -> {
            body.run(address);
            return null;
        });
        Thread.ofPlatform().name("wire check " + name).daemon().start(task);
        try {
            task.get(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new TestResult(name, "SUCCESSFUL", null);
        } catch (ExecutionException e) {
            Throwable why = e.getCause();
            String message = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().lines().findFirst().orElse("");
            return new TestResult(name, "FAILED", message.replace(" ==> expected: <true> but was: <false>", ""));
        } catch (TimeoutException e) {
            task.cancel(true);
            return new TestResult(name, "ABORTED_BY_TIMEOUT", "no outcome in " + CHECK_TIMEOUT.toSeconds() + " s");
        }
    }
}
