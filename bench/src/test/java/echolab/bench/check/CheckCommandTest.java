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

    @Test
    void tooFewRoundsIsAUsageError() {
        Outcome o = check("--rounds", "3");
        assertEquals(2, o.exit());
        assertTrue(o.stderr().contains("--rounds must be at least 5"), o.stderr());
    }

    @Test
    void aCapBelowTheRoundsIsAUsageError() {
        assertEquals(2, check("--rounds", "8", "--max-rounds", "6").exit());
    }

    @Test
    void anUnknownServerIsAUsageError() {
        Outcome o = check("--servers", "selector,netty");
        assertEquals(2, o.exit());
        assertTrue(o.stderr().contains("unknown server 'netty'"), o.stderr());
    }

    @Test
    void aRevisionThatDoesNotExistIsAUsageError() {
        Outcome o = check("--base", "no-such-revision-862", "--root", "..");
        assertEquals(2, o.exit());
        assertTrue(o.stderr().contains("'no-such-revision-862' is not a revision"), o.stderr());
    }

    @Test
    void aMalformedNumberIsAUsageError() {
        Outcome o = check("--rounds", "many");
        assertEquals(2, o.exit());
        assertTrue(o.stderr().contains("--rounds"), o.stderr());
    }
}
