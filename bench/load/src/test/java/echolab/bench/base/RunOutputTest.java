package echolab.bench.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that start together never share an output, a named output that holds a run is refused, and nothing is half-written. */
class RunOutputTest {

    /** Sixteen runs ask for the same name at the same instant: each gets a folder of its own. */
    @Test
    void runsStartedTogetherGetFoldersOfTheirOwn(@TempDir Path results) throws Exception {
        List<Path> got = together(16, () -> RunOutput.newFolder(results, "2026-12-01T034800-quick"));
        assertEquals(16, new HashSet<>(got).size(), "two runs got the same folder: " + got);
        assertTrue(got.contains(results.resolve("2026-12-01T034800-quick")) && got.contains(results.resolve("2026-12-01T034800-quick-16")),
                got.toString());
    }

    @Test
    void filesWrittenTogetherUnderOneNameAreAllKept(@TempDir Path dir) throws Exception {
        List<Path> got = together(8, () -> {
            String me = Thread.currentThread().getName();
            return RunOutput.writeNew(dir, "2026-12-01T034800Z", ".json", into -> Files.writeString(into, me));
        });
        Set<String> contents = new HashSet<>();
        for (Path p : got) {
            contents.add(Files.readString(p));
        }
        assertEquals(8, contents.size(), "a file was overwritten: " + got);
        try (var files = Files.list(dir)) {
            assertEquals(8, files.count(), "no temporary file is left beside the results");
        }
    }

    /** The marker file that says a folder holds a run (results.json, in the bench's commands). */
    private static final String MARKER = "results.json";

    @Test
    void aNamedFolderThatHoldsARunIsRefusedUnlessReplaced(@TempDir Path dir) throws Exception {
        Path out = RunOutput.claimFolder(dir.resolve("mine"), MARKER, false, "--out");
        Files.writeString(out.resolve(MARKER), "{\"a run\": true}");
        Files.writeString(out.resolve("summary.md"), "old");
        RunOutput.Taken taken = assertThrows(RunOutput.Taken.class, () -> RunOutput.claimFolder(out, MARKER, false, "--out"));
        assertEquals(out + " already holds a run; name another --out, or add --replace to overwrite it", taken.getMessage());
        assertEquals("{\"a run\": true}", Files.readString(out.resolve(MARKER)), "the run is untouched");

        RunOutput.claimFolder(out, MARKER, true, "--out");
        assertFalse(Files.exists(out.resolve("summary.md")), "replacing empties the old run's folder");
        assertEquals(0, Files.size(out.resolve(MARKER)), "and claims it again");
    }

    @Test
    void aNamedFileIsRefusedBeforeTheRunAndNeverOverwrittenAfterIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check.json");
        RunOutput.checkFree(file, false, "--json");
        Files.writeString(file, "someone else's");
        assertThrows(RunOutput.Taken.class, () -> RunOutput.checkFree(file, false, "--json"));
        IOException late = assertThrows(IOException.class, () -> RunOutput.write(file, false, "--json", into -> Files.writeString(into, "mine")));
        assertTrue(late.getMessage().startsWith(file + " appeared while this run was measuring; its results are in "), late.getMessage());
        assertEquals("someone else's", Files.readString(file));
        Path kept = Path.of(late.getMessage().substring(late.getMessage().lastIndexOf(' ') + 1));
        assertEquals("mine", Files.readString(kept), "what this run measured is kept");
        RunOutput.write(file, true, "--json", into -> Files.writeString(into, "replaced"));
        assertEquals("replaced", Files.readString(file));
    }

    @Test
    void aWriterThatFailsLeavesNoFileThatReadsAsAResult(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        assertThrows(IOException.class, () -> RunOutput.write(file, true, null, into -> {
            Files.writeString(into, "{\"half\":");
            throw new IOException("No space left on device");
        }));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing is left where a reader would look");
        }
    }

    /** Runs {@code n} copies of {@code task} released at the same instant; their results in order. */
    private static <T> List<T> together(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
