package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import echolab.common.Framing;
import echolab.contract.FramingChecks;

/**
 * Every line server, Java and Python, as a process of its own started as the tools start it, held to the framing
 * contract on the wire ({@link FramingChecks}, the checks the Java servers also pass in-process): one process per
 * framing a check asks for ({@code \n}, {@code \r\n}, a count of 5, through {@code --terminator} and {@code --count}),
 * each stopped at the end with SIGTERM, its summary counting the messages the checks sent over the bound. A Python
 * line server is skipped, with the reason, only on a Python without asynchat (3.12 and later).
 */
class LineServersIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    static List<String> servers() {
        return ServerCatalogue.names(ServerCatalogue.lines());
    }

    @TestFactory
    Stream<DynamicNode> everyLineServerHoldsToTheFramingContractOnTheWire() {
        return servers().stream().map(name -> DynamicContainer.dynamicContainer(name, checks(name)));
    }

    /** The checks of one server, a process per framing started by the first check that needs it, then the stop. */
    private static Stream<DynamicNode> checks(String name) {
        ServerCatalogue.Entry entry = ServerCatalogue.named(name, ServerCatalogue.lines());
        Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), null);
        Map<Framing, ServerProcess> running = new LinkedHashMap<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (FramingChecks.Check check : FramingChecks.CHECKS) {
            nodes.add(DynamicTest.dynamicTest(check.name(), () -> {
                String problem = launcher.unavailable(entry, ROOT);
                assumeTrue(problem == null || !problem.contains("PEP 594"), name + " skipped here: " + problem);
                assertNull(problem, "a line server runs wherever its jar is built or Debian's python3 is there");
                ServerProcess p = running.get(check.framing());
                if (p == null) {
                    p = launcher.start(entry, ROOT, check.framing());
                    running.put(check.framing(), p);
                }
                check.body().run(new InetSocketAddress("127.0.0.1", p.port()));
                assertTrue(p.alive(), name + " exited during " + check.name() + p.lastWords());
            }));
        }
        nodes.add(DynamicTest.dynamicTest("stopsWithItsSummaryCountingTheMessagesOverTheBound", () -> {
            assumeTrue(!running.isEmpty(), name + " did not run here");
            long overBound = FramingChecks.CHECKS.stream().filter(c -> c.framing().equals(Framing.LINE))
                    .mapToLong(FramingChecks.Check::overBound).sum();
            for (Map.Entry<Framing, ServerProcess> e : running.entrySet()) {
                ServerProcess.Stopped stopped = e.getValue().stop();
                assertNull(stopped.problem(), name + " (" + e.getKey() + ") did not stop cleanly");
                String stderr = e.getValue().stderrText();
                if (e.getKey().equals(Framing.LINE)) {
                    assertTrue(stderr.contains(overBound + " messages over the bound"),
                            name + " counts " + overBound + " messages over the bound in its summary: " + stderr.strip());
                }
                e.getValue().close();
            }
            assertEquals(3, running.size(), "a process for \\n, one for \\r\\n and one for a count");
        }));
        return nodes.stream();
    }
}
