package echolab.bench.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


import echolab.bench.exercise.ContractRunner.TestResult;
import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Launcher;
import echolab.bench.base.Json;

/**
 * Runs the contract suite against one server in a JVM of its own ({@link ContractRunner}), with the
 * given classes ahead of bench.jar on its class path, under a real timeout: a broken server that hangs
 * the suite is killed and named. Read timeouts are shortened to {@value #READ_TIMEOUT_MILLIS} ms, so a
 * server that never answers fails a test in seconds.
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
}
