package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import echolab.bench.jmh.Bench01_RoundTrip;
import echolab.bench.jmh.Bench02_Throughput;
import echolab.bench.jmh.Bench03_Allocation;

/**
 * The catalogue is the one list of servers: what has to repeat it elsewhere (JMH's @Param values, which
 * must be constants, and the launcher script's list for `serve`) is checked against it here.
 */
class ServerCatalogueTest {

    private static final List<String> TEACHING = ServerCatalogue.names(ServerCatalogue.teaching());

    private static List<String> serverParam(Class<?> benchmark) throws NoSuchFieldException {
        Class<?> declaring = benchmark;
        while (Arrays.stream(declaring.getDeclaredFields()).noneMatch(f -> f.getName().equals("server"))) {
            declaring = declaring.getSuperclass();       // a benchmark may inherit its state (OneEchoAtATime)
        }
        Field field = declaring.getDeclaredField("server");
        return Arrays.asList(field.getAnnotation(Param.class).value());
    }

    @Test
    void theJmhSuiteBenchmarksTheCatalogueTeachingServers() throws Exception {
        assertEquals(TEACHING, serverParam(Bench01_RoundTrip.class));
        assertEquals(TEACHING, serverParam(Bench03_Allocation.class));
        List<String> throughput = serverParam(Bench02_Throughput.Server.class);
        assertTrue(TEACHING.containsAll(throughput), throughput.toString());
        assertEquals(TEACHING.stream().filter(n -> !ServerCatalogue.named(n, ServerCatalogue.ALL).oneAtATime()).toList(), throughput,
                "Bench02 runs four client threads: every server that serves concurrently, and only those");
    }

    @Test
    void theHelpOfBenchAndCheckNamesEveryServerTheyCanRun() {
        String only = String.join(" ", new picocli.CommandLine(new echolab.bench.run.BenchCommand()).getCommandSpec()
                .findOption("--only").description());
        for (ServerCatalogue.Entry e : ServerCatalogue.runnable()) {
            assertTrue(only.contains(e.name()), "bench --only does not name " + e.name() + ": " + only);
        }
        String servers = String.join(" ", new picocli.CommandLine(new echolab.bench.check.CheckCommand()).getCommandSpec()
                .findOption("--servers").description());
        for (ServerCatalogue.Entry e : ServerCatalogue.checkable()) {
            assertTrue(servers.replace("${DEFAULT-VALUE}", "sync,thread-per-conn,selector,virtual-thread").contains(e.name()),
                    "check --servers does not name " + e.name() + ": " + servers);
        }
    }

    @Test
    void aVariantIsItsServerWithItsFlags() {
        for (ServerCatalogue.Entry v : ServerCatalogue.VARIANTS) {
            ServerCatalogue.Entry base = ServerCatalogue.named(v.name().substring(0, v.name().indexOf('+')), ServerCatalogue.teaching());
            assertEquals(base.jar(), v.jar(), v.name());
            assertEquals(ServerCatalogue.Kind.VARIANT, v.kind());
            List<String> command = new Launcher("java", new Pinning(null, null), NativePeers.none()).command(v, Path.of("."), List.of());
            assertTrue(command.containsAll(v.jvmFlags()) && !v.jvmFlags().isEmpty(), command.toString());
            assertTrue(command.indexOf(v.jvmFlags().get(0)) < command.indexOf("-jar"), "the flags go to the JVM: " + command);
        }
        assertEquals(List.of(), ServerCatalogue.teaching().stream().filter(ServerCatalogue.VARIANTS::contains).toList(),
                "the teaching list (the contract, the course, the JMH suite) holds no variant");
    }

    @Test
    void theLauncherScriptServesTheCatalogueTeachingServers() throws IOException {
        Matcher m = Pattern.compile("(?m)^SERVERS=\"([^\"]*)\"").matcher(Files.readString(Path.of("../..", "echolab")));
        assertTrue(m.find(), "no SERVERS= line in ./echolab");
        assertEquals(TEACHING, List.of(m.group(1).split(" ")));
    }

    @Test
    void everyTeachingServerCanBeOpenedInProcessAndEveryEntryHasWhatItsKindNeeds() {
        for (ServerCatalogue.Entry e : ServerCatalogue.ALL) {
            if (e.kind() == ServerCatalogue.Kind.TEACHING) {
                assertNotNull(e.factory(), e.name());
                assertEquals(e.name() + "-echo", e.module());
                assertTrue(e.isJvm(), e.name());
            } else {
                assertEquals(null, e.factory(), e.name());
            }
        }
        assertEquals(ServerCatalogue.ALL.size(), ServerCatalogue.ALL.stream().map(ServerCatalogue.Entry::name).distinct().count(),
                "names are unique");
        for (ServerCatalogue.Entry e : ServerCatalogue.ALL) {
            assertEquals(e.isJvm(), e.program() == null, e.name() + ": a native peer names its program, a JVM server none");
        }
    }

    @Test
    void everyTeachingServersSourceAndMainClassAreWhereTheCatalogueSays() throws IOException {
        for (ServerCatalogue.Entry e : ServerCatalogue.teaching()) {
            assertTrue(Files.isRegularFile(Path.of("../..").resolve(e.source())), e.source());
            String pom = Files.readString(Path.of("../..", e.module(), "pom.xml"));
            assertTrue(pom.contains("<mainClass>" + e.mainClass() + "</mainClass>"), e.module() + "'s jar runs " + e.mainClass());
        }
    }
}
