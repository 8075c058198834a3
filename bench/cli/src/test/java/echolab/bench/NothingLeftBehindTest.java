package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.harness.ChildProcess;
import echolab.bench.harness.Pinning;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ResultsFile;

/**
 * Nothing lost, nothing left behind: two benches started together in one results folder both keep their
 * results, and a bench killed with SIGKILL (which it cannot catch) leaves none of its processes running:
 * each of them notices on its own that the tool is gone (echolab.common.Lifeline, bench/native/lifeline.h).
 */
class NothingLeftBehindTest {

    private static final Path CHECKOUT = Path.of("../..").toAbsolutePath().normalize();

    /** A checkout of its own whose results/ starts empty, with the real build linked in. */
    private static Path scratchCheckout(Path scratch) throws Exception {
        for (String module : List.of("bench", "sync-echo", "thread-per-conn-echo", "selector-echo", "virtual-thread-echo")) {
            Files.createSymbolicLink(scratch.resolve(module), CHECKOUT.resolve(module));
        }
        Files.createDirectories(scratch.resolve("results"));
        return scratch;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoBenchesStartedTogetherInOneFolderBothKeepTheirResults(@TempDir Path scratch) throws Exception {
        Assumptions.assumeTrue(List.of("cc", "gcc", "clang").stream().anyMatch(Pinning::onPath), "no C compiler for the native peer");
        Path root = scratchCheckout(scratch);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Main.commandLine().execute("bench", "--profile", "quick", "--only", "native", "--no-pin", "--root", root.toString());
            }, r -> Thread.ofPlatform().start(r)));
        }
        go.countDown();
        for (CompletableFuture<Integer> run : runs) {
            assertEquals(0, run.get(150, TimeUnit.SECONDS), "a bench failed");
        }
        List<Path> folders;
        try (var list = Files.list(root.resolve("results"))) {
            folders = list.sorted().toList();
        }
        assertEquals(2, folders.size(), "two runs, two folders: " + folders);
        for (Path folder : folders) {
            BenchRun run = ResultsFile.read(folder);
            assertTrue(run.run().complete(), folder + " is not a complete run");
            assertEquals(folder.getFileName().toString(), run.run().id(), "each run's results are its own");
            assertTrue(Files.isRegularFile(folder.resolve("summary.md")), folder + " has no summary");
        }
        assertNotEquals(ResultsFile.read(folders.get(0)).run().startedAt(), ResultsFile.read(folders.get(1)).run().startedAt());
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aBenchKilledWithSigkillLeavesNoProcessOfItsOwnBehind(@TempDir Path scratch) throws Exception {
        Path root = scratchCheckout(scratch);
        boolean cc = List.of("cc", "gcc", "clang").stream().anyMatch(Pinning::onPath);
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "--profile", "quick",
                "--only", cc ? "selector,native" : "selector", "--no-pin", "--root", root.toString());
        Process bench = ChildProcess.started(ChildProcess.builder(command).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("bench.log").toFile()).start());
        List<ProcessHandle> children = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int servers = cc ? 2 : 1;
            while (System.nanoTime() < deadline && bench.isAlive()) {
                children = bench.descendants().filter(ProcessHandle::isAlive).toList();
                if (children.stream().filter(NothingLeftBehindTest::isServer).count() >= servers) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(bench.isAlive(), "the bench ended before its servers were seen: " + Files.readString(scratch.resolve("bench.log")));
            assertEquals(servers, children.stream().filter(NothingLeftBehindTest::isServer).count(),
                    "the bench's servers never started: " + describe(children));
            Thread.sleep(500);                                   // let the run get under way with its servers busy
            children = bench.descendants().toList();

            long killed = System.nanoTime();
            bench.destroyForcibly();                             // SIGKILL: no hook, no handler runs
            assertTrue(bench.waitFor(10, TimeUnit.SECONDS), "the bench survived SIGKILL");
            long until = killed + TimeUnit.SECONDS.toNanos(5);
            java.util.Map<ProcessHandle, Double> goneAfter = new java.util.LinkedHashMap<>();
            java.util.Map<ProcessHandle, String> names = new java.util.HashMap<>();
            children.forEach(c -> names.put(c, c.info().command().map(n -> Path.of(n).getFileName().toString()).orElse("pid " + c.pid())));
            while (goneAfter.size() < children.size() && System.nanoTime() < until) {
                for (ProcessHandle child : children) {
                    if (!running(child)) {
                        goneAfter.putIfAbsent(child, (System.nanoTime() - killed) / 1e9);
                    }
                }
                Thread.sleep(10);
            }
            List<ProcessHandle> left = children.stream().filter(NothingLeftBehindTest::running).toList();
            goneAfter.forEach((child, seconds) -> System.out.printf("bench killed with SIGKILL: %s (pid %d) exited after %.2f s%n",
                    names.get(child), child.pid(), seconds));
            assertEquals(List.of(), left.stream().map(NothingLeftBehindTest::describe).toList(), "still running 5 s after the bench was killed");
        } finally {
            bench.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Alive and not a zombie: a process that has exited stays in the table until its new parent reaps it. */
    private static boolean running(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            return p.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    private static boolean isServer(ProcessHandle p) {
        String line = p.info().commandLine().orElse("");
        return line.contains("selector-echo.jar") || line.contains(File.separator + "echo-server");
    }

    private static String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().commandLine().orElse("?");
    }

    private static String describe(List<ProcessHandle> all) {
        return all.stream().map(NothingLeftBehindTest::describe).toList().toString();
    }
}
