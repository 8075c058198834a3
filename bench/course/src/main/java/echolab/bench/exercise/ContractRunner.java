package echolab.bench.exercise;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;


import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import echolab.bench.base.Json;
import echolab.bench.harness.ServerCatalogue;

/**
 * {@code java -cp ... echolab.bench.exercise.ContractRunner SERVER}: runs the contract suite (a line server's:
 * the framing contract) against one server in this JVM and prints one line per test, {@value #PREFIX} and a JSON object (test, status,
 * message), for the parent to read. The server's own log goes to stderr; nothing else goes to stdout.
 */
public final class ContractRunner {

    static final String PREFIX = "echolab-contract ";

    /** One test's outcome, as the parent reads it back. */
    public record TestResult(String test, String status, String message) {

        public boolean failed() {
            return status.equals("FAILED") || status.equals("ABORTED_BY_TIMEOUT");
        }

        public boolean passed() {
            return status.equals("SUCCESSFUL");
        }
    }

    private ContractRunner() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ContractRunner SERVER");
            System.exit(2);
        }
        echolab.common.Lifeline.watchIfAsked("contract suite");
        System.setProperty(CatalogueServerContract.SERVER_PROPERTY, args[0]);
        // Each result goes out in one write, so that the server's log on stderr (the same pipe) cannot split it.
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                1 << 16), false, StandardCharsets.UTF_8);
        System.setOut(System.err);                         // whatever the tests print goes to stderr
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ServerCatalogue.lines().stream().anyMatch(l -> l.name().equals(args[0]))
                        ? CatalogueLinesContract.class : CatalogueServerContract.class)).build();
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            launcher.execute(request, new TestExecutionListener() {
                @Override
                public void executionSkipped(TestIdentifier test, String reason) {
                    if (test.isTest()) {
                        print(out, new TestResult(name(test), "SKIPPED", reason));
                    }
                }

                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (!test.isTest()) {
                        return;
                    }
                    Optional<Throwable> why = result.getThrowable();
                    String message = why.map(t -> firstLine(String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName()
                            : t.getMessage()))).orElse(null);
                    String status = result.getStatus().name();
                    if (why.isPresent() && why.get() instanceof java.util.concurrent.TimeoutException) {
                        status = "ABORTED_BY_TIMEOUT";
                    }
                    print(out, new TestResult(name(test), status, message));
                }
            });
        }
        out.flush();
        System.exit(0);
    }

    private static String name(TestIdentifier test) {
        String name = test.getDisplayName();
        return name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
    }

    /** The first line of a failure's message, without JUnit's " ==> expected: <true> but was: <false>". */
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int arrow = line.indexOf(" ==> ");
        return arrow > 0 && line.substring(arrow).startsWith(" ==> expected: <true> but was: <false>") ? line.substring(0, arrow) : line;
    }

    private static void print(PrintStream out, TestResult r) {
        try {
            out.print(PREFIX + Json.MAPPER.writeValueAsString(r) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.print(PREFIX + "{\"test\":\"" + r.test() + "\",\"status\":\"" + r.status() + "\"}\n");
        }
        out.flush();
    }
}
