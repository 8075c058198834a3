package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The gate's usage errors: exit 2 and a message that says what to change, before anything is built or run. */
class CheckCommandTest {

    private record Outcome(int exit, String stderr) {
    }

    private static Outcome check(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter picocliErr = new StringWriter();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cmd = new CommandLine(new CheckCommand()).setErr(new PrintWriter(picocliErr, true));
            int exit = cmd.execute(args);
            return new Outcome(exit, captured.toString(StandardCharsets.UTF_8) + picocliErr);
        } finally {
            System.setErr(saved);
        }
    }

    /** Runs check with {@code args} and asserts a usage error whose message contains {@code expected}. */
    private static void assertUsageError(String expected, String... args) {
        Outcome o = check(args);
        assertEquals(2, o.exit(), o.stderr());
        assertTrue(o.stderr().contains(expected), o.stderr());
    }

    @Test
    void tooFewRoundsIsAUsageError() {
        assertUsageError("--rounds must be at least 5", "--rounds", "3");
    }

    @Test
    void aCapBelowTheRoundsIsAUsageError() {
        assertUsageError("--max-rounds at least --rounds", "--rounds", "8", "--max-rounds", "6");
    }

    @Test
    void aTargetOutsideOneToTenPercentIsAUsageError() {
        assertUsageError("--target must be from 1 to 10 (percent), not 12.0", "--target", "12");
        assertUsageError("--target must be from 1 to 10 (percent), not 0.5", "--target", "0.5");
    }

    @Test
    void aBudgetTooShortForABuildAndARoundIsAUsageError() {
        assertUsageError("--budget must be at least 1m", "--budget", "30s");
    }

    @Test
    void anUnknownServerIsAUsageError() {
        assertUsageError("unknown server 'netty'", "--servers", "selector,netty");
    }

    @Test
    void aServerNamedTwiceIsAUsageError() {
        assertUsageError("server 'selector' is named twice", "--servers", "selector", "--servers", "sync,selector");
    }

    @Test
    void aRevisionThatDoesNotExistIsAUsageError() {
        assertUsageError("'no-such-revision-862' is not a revision", "--base", "no-such-revision-862", "--root", "../..");
    }

    @Test
    void aReportFileThatExistsIsAUsageErrorBeforeAnythingRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        for (String option : new String[] {"--json", "--junit", "--bmf", "--github-benchmark"}) {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve(option.substring(2) + ".out"), "kept");
            assertUsageError(file + " already holds a run; name another " + option, option, file.toString(), "--base", "no-such-revision-862", "--root", "../..");
        }
    }

    @Test
    void aMalformedNumberIsAUsageError() {
        assertUsageError("--rounds", "--rounds", "many");
    }
}
