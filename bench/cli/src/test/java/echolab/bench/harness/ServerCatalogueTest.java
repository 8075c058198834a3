package echolab.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import echolab.bench.teaching.TeachingFile;
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
        for (ServerCatalogue.Variant v : ServerCatalogue.VARIANTS) {
            ServerCatalogue.Teaching base = ServerCatalogue.named(v.name().substring(0, v.name().indexOf('+')), ServerCatalogue.teaching());
            assertEquals(base, v.teaching(), v.name());
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
    void everyTeachingServerCanBeOpenedInProcessAndEveryPeerIsAJarOfItsModuleOrAProgramTheBenchBuilds() throws IOException {
        for (ServerCatalogue.Entry e : ServerCatalogue.runnable()) {
            switch (e) {
                case ServerCatalogue.TeachingServer t -> {
                    assertNotNull(t.factory(), e.name());
                    assertTrue(ServerCatalogue.teaching().contains(t.teaching()), e.name() + " runs a teaching server of the catalogue");
                    assertEquals(switch (t) {
                        case ServerCatalogue.Variant v -> ServerCatalogue.Kind.VARIANT;
                        case ServerCatalogue.Lines l -> ServerCatalogue.Kind.LINES;
                        case ServerCatalogue.Teaching teaching -> ServerCatalogue.Kind.TEACHING;
                    }, e.kind());
                }
                case ServerCatalogue.JvmPeer p -> {
                    assertEquals(ServerCatalogue.Kind.REFERENCE, e.kind());
                    assertTrue(p.jar().startsWith(p.module() + "/target/"), p.jar() + " is built by " + p.module());
                    String pom = Files.readString(Path.of("../..", p.module(), "pom.xml"));
                    assertTrue(pom.contains(p.jar().substring(p.jar().lastIndexOf('/') + 1)), p.module() + "'s pom builds " + p.jar());
                }
                case ServerCatalogue.NativePeer p -> {
                    assertEquals(ServerCatalogue.Kind.REFERENCE, e.kind());
                    assertTrue(List.of(NativePeers.EPOLL_SERVER, NativePeers.URING_SERVER).contains(p.program()), p.program());
                }
                case ServerCatalogue.PythonPeer p -> {
                    assertEquals(ServerCatalogue.Kind.PYTHON, e.kind());
                    assertTrue(Files.isRegularFile(Path.of("../..", p.script())), p.name() + " runs " + p.script());
                    assertTrue(TEACHING.contains(p.twin()) || p.streamTwin().isPresent()
                            && ServerCatalogue.named(p.twin(), ServerCatalogue.lines()).kind() == ServerCatalogue.Kind.LINES,
                            p.name() + "'s twin is a teaching server, or for a Python line server a Java one: " + p.twin());
                    p.streamTwin().ifPresent(twin -> assertTrue(ServerCatalogue.python().stream().anyMatch(q -> q.name().equals(twin)),
                            p.name() + " frames the messages of a Python peer of the echo of a stream: " + twin));
                    assertTrue(Files.readString(Path.of("../..", p.script())).contains("\"" + p.name().split("\\+")[0] + "\""),
                            p.script() + " names itself " + p.name());
                }
            }
        }
        assertEquals(ServerCatalogue.runnable().size(), ServerCatalogue.runnable().stream().map(ServerCatalogue.Entry::name).distinct()
                .count(), "names are unique");
    }

    @Test
    void theLauncherScriptServesTheCatalogueLineServersAndEachHasAStreamTwinInTheCatalogue() throws IOException {
        String script = Files.readString(Path.of("../..", "echolab"));
        Matcher java = Pattern.compile("(?m)^LINE_SERVERS=\"([^\"]*)\"").matcher(script);
        Matcher python = Pattern.compile("(?m)^PY_LINE_SERVERS=\"([^\"]*)\"").matcher(script);
        assertTrue(java.find() && python.find(), "no LINE_SERVERS= or PY_LINE_SERVERS= line in ./echolab");
        List<String> served = new java.util.ArrayList<>(List.of(java.group(1).split(" ")));
        served.addAll(List.of(python.group(1).split(" ")));
        assertEquals(ServerCatalogue.names(ServerCatalogue.lines()), served);
        assertEquals(served, ServerCatalogue.names(ServerCatalogue.named(List.of("lines"), ServerCatalogue.runnable())),
                "--only lines names every line server");
        for (ServerCatalogue.Entry e : ServerCatalogue.lines()) {
            assertTrue(e.terminator().isPresent(), e.name() + " is loaded with lines");
            String twin = e.streamTwin().orElseThrow();
            ServerCatalogue.Entry stream = ServerCatalogue.named(twin, ServerCatalogue.runnable());
            assertTrue(stream.terminator().isEmpty(), e.name() + "'s twin " + twin + " echoes a stream");
        }
    }

    @Test
    void theLauncherScriptServesTheCataloguePythonPeers() throws IOException {
        Matcher m = Pattern.compile("(?m)^PY_SERVERS=\"([^\"]*)\"").matcher(Files.readString(Path.of("../..", "echolab")));
        assertTrue(m.find(), "no PY_SERVERS= line in ./echolab");
        assertEquals(ServerCatalogue.names(ServerCatalogue.python()), List.of(m.group(1).split(" ")));
        assertEquals(ServerCatalogue.names(ServerCatalogue.python()), ServerCatalogue.names(ServerCatalogue.named(List.of("python"),
                ServerCatalogue.runnable())), "--only python names every Python peer");
    }

    /**
     * A Python peer's file is a model with the teaching files' five sections in order, as the course reads them
     * (TeachingFile), and its Java twin named in its docstring; or (py_uvloop.py, not a model) another model's
     * server run on another event loop.
     */
    @Test
    void everyPythonModelHasTheFiveSectionsInOrderAndNamesItsJavaTwin() throws IOException {
        for (ServerCatalogue.PythonPeer p : ServerCatalogue.python()) {
            String file = Files.readString(Path.of("../..", p.script()));
            String twin = ServerCatalogue.teachingServer(p.twin()).type().getSimpleName();
            assertTrue(file.substring(0, file.indexOf("\"\"\"", 3)).contains("Java twin: " + twin), p.script() + " names " + twin);
            if (!p.model()) {
                assertTrue(file.contains("py_asyncio_protocol.serve"), p.name() + " runs the Protocol server");
                assertThrows(IllegalArgumentException.class, () -> TeachingFile.readPython(Path.of("../.."), p.name(), p.script()),
                        p.name() + " has no sections of its own");
                continue;
            }
            TeachingFile model = TeachingFile.readPython(Path.of("../.."), p.name(), p.script());
            assertEquals(List.of("Listen", "Wait for work and dispatch", "Echo one connection", "Errors and close", "Stop"),
                    model.sections().stream().map(TeachingFile.Section::title).toList(), p.script());
            assertEquals(List.of(1, 2, 3, 4, 5), model.sections().stream().map(TeachingFile.Section::number).toList(), p.script());
            assertTrue(model.javadoc().text().getFirst().contains(" echo"), p.script() + "'s docstring starts with what it is");
            assertTrue(model.line(model.sections().getLast().codeTo()).strip().length() > 0, "section 5 ends on code");
            assertTrue(model.line(model.sections().getLast().codeTo() + 1).isBlank() || model.line(model.sections().getLast().codeTo() + 1)
                    .startsWith("if __name__"), p.script() + ": section 5 ends where the __main__ block begins");
        }
    }

    @Test
    void everyTeachingServersSourceAndMainClassAreWhereTheCatalogueSays() throws IOException {
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            assertTrue(Files.isRegularFile(Path.of("../..").resolve(e.source())), e.source());
            String pom = Files.readString(Path.of("../..", e.module(), "pom.xml"));
            assertTrue(pom.contains("<mainClass>" + e.mainClass() + "</mainClass>"), e.module() + "'s jar runs " + e.mainClass());
        }
    }
}
