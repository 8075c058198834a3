package echolab.bench.exercise;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import echolab.bench.exercise.ContractRunner.TestResult;

/**
 * Every exercise against the teaching files as they are now: its patch applies, the broken copy
 * compiles, and the contract suite, run against it in a JVM of its own (on the wire, for a Python peer's
 * file), fails at least one test. A
 * mistake the suite does not catch is a gap in the suite. Runs two exercises at a time; prints which tests
 * caught each, and how long it took.
 */
class ExercisesIT {

    @Test
    void theContractSuiteCatchesEveryExercise() throws Exception {
        Path benchJar = Path.of("target", "bench.jar");
        assertTrue(Files.isRegularFile(benchJar), "no " + benchJar.toAbsolutePath() + ": the package phase builds it");
        Map<String, String> missed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (Exercise e : Exercise.all()) {
            runs.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                Scratch scratch = Scratch.make(e, ExerciseTest.ROOT, benchJar);
                try {
                    List<TestResult> results = e.pythonPeer().isPresent() ? ContractSuite.onTheWire(e.pythonPeer().get(), scratch.tree())
                            : ContractSuite.run(e.server(), List.of(scratch.classes()), benchJar);
                    List<String> caughtBy = results.stream().filter(TestResult::failed).map(TestResult::test).toList();
                    System.out.printf("exercise %-40s caught by %d of %d tests in %.0f s: %s%n", e.name(), caughtBy.size(),
                            results.size(), (System.nanoTime() - t0) / 1e9, caughtBy);
                    if (caughtBy.isEmpty()) {
                        missed.put(e.name(), "no contract test failed");
                    }
                } finally {
                    scratch.delete();
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("exercises: %d run in %.0f s%n", runs.size(), (System.nanoTime() - start) / 1e9);
        assertTrue(missed.isEmpty(), "the contract suite missed: " + missed);
    }
}
