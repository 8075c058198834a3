package echolab.bench.harness;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import echolab.common.ThreadsPerConnection;
import echolab.common.EchoServer;
import echolab.common.Framing;
import echolab.common.ServerCommand;
import echolab.bench.peers.NettyEchoServer;
import echolab.bench.peers.NettyEchoServer.Transport;
import echolab.selector.SelectorEchoServer;
import echolab.selector.SelectorLinesServer;
import echolab.sync.SyncEchoServer;
import echolab.threadperconn.ThreadPerConnEchoServer;
import echolab.virtualthread.VirtualThreadEchoServer;
import echolab.virtualthread.VirtualThreadLinesServer;

/**
 * The one place a server is listed: the four teaching servers, their variants, the reference peers (Netty
 * and native C servers, each over epoll and over io_uring) and the Python peers (the models' Python twins),
 * each a kind of its own with only the fields it has:
 * where it is built, how it is started, and (for the teaching servers) its file, its factory for running
 * in process and the threads its model costs. bench, check, the JMH suite and the launcher script all follow
 * this list.
 */
public final class ServerCatalogue {

    /**
     * The kind a run records for a server: a teaching server, a reference peer, a teaching server run with JVM flags,
     * a Python peer, a line server (PROTOCOL.md, "Messages over the stream": Java or Python).
     */
    public enum Kind { TEACHING, REFERENCE, VARIANT, PYTHON, LINES;

        public String label() {
            return name().toLowerCase();
        }
    }

    /** A server the tools can run: a JVM server started from a jar, a native peer, or a Python peer. */
    public sealed interface Entry permits JvmServer, NativePeer, PythonPeer {

        String name();

        Kind kind();

        /** Serves one connection at a time by design: its starved connections are its model. */
        default boolean oneAtATime() {
            return false;
        }

        /**
         * For a line server, the terminator its messages end with as the tools start it (its default, {@code \n}):
         * what every load sent to it must end each message with. Empty for a server of the echo of a stream.
         */
        default Optional<Framing.Terminator> terminator() {
            return Optional.empty();
        }

        /** For a line server, the server of the echo of a stream it frames (selector for selector-lines); else empty. */
        default Optional<String> streamTwin() {
            return Optional.empty();
        }
    }

    /** A server that runs on the JVM from the runnable jar a Maven module builds. */
    public sealed interface JvmServer extends Entry permits TeachingServer, JvmPeer {

        /** What follows the JVM flags to run it from the jar in {@code tree}: {@code -jar JAR}, or a class path and a main. */
        default List<String> launch(Path tree) {
            return List.of("-jar", jarIn(tree).toString());
        }

        /** The Maven module that builds it, relative to a checkout. */
        String module();

        /** The runnable jar, relative to a checkout. */
        String jar();

        /** Flags of this server's own, after the JVM flags every JVM server gets (e.g. a transport, a JDK switch). */
        List<String> jvmFlags();

        default Path jarIn(Path tree) {
            return tree.resolve(jar());
        }
    }

    /** A teaching server or a variant of one: a teaching file, a factory to open it in this JVM, the threads its model costs. */
    public sealed interface TeachingServer extends JvmServer permits Teaching, Variant, Lines {

        /** The teaching file's class. */
        Class<? extends EchoServer> type();

        EchoServer.Factory factory();

        /** What each connection it holds costs in threads, which the contract suite checks. */
        ThreadsPerConnection threads();

        /** The teaching server it is a form of: this one, the one a variant runs, or a line server's stream twin. */
        Teaching teaching();

        /** The name {@code ./echolab serve} knows it by: its own, or for a variant the teaching server's. */
        default String serveName() {
            return name();
        }

        /** The teaching file, relative to a checkout: e.g. sync-echo/src/main/java/echolab/sync/SyncEchoServer.java. */
        default String source() {
            return module() + "/src/main/java/" + type().getName().replace('.', '/') + ".java";
        }

        /** The class whose main runs the server from its jar (the module's {@code Main}, next to the teaching file). */
        default String mainClass() {
            return type().getPackageName() + ".Main";
        }
    }

    /** One of the four teaching servers, built by the module {@code NAME-echo}. */
    public record Teaching(String name, Class<? extends EchoServer> type, EchoServer.Factory factory, boolean oneAtATime,
                           ThreadsPerConnection threads) implements TeachingServer {

        @Override
        public Kind kind() {
            return Kind.TEACHING;
        }

        @Override
        public String module() {
            return name + "-echo";
        }

        @Override
        public String jar() {
            return module() + "/target/" + module() + ".jar";
        }

        @Override
        public List<String> jvmFlags() {
            return List.of();
        }

        @Override
        public Teaching teaching() {
            return this;
        }
    }

    /** A teaching server run with a switch the JDK offers ({@code flag}), named {@code server+setting}. */
    public record Variant(Teaching teaching, String setting, String flag) implements TeachingServer {

        @Override
        public String name() {
            return teaching.name() + "+" + setting;
        }

        @Override
        public Kind kind() {
            return Kind.VARIANT;
        }

        @Override
        public String module() {
            return teaching.module();
        }

        @Override
        public String jar() {
            return teaching.jar();
        }

        @Override
        public List<String> jvmFlags() {
            return List.of(flag);
        }

        @Override
        public Class<? extends EchoServer> type() {
            return teaching.type();
        }

        @Override
        public String serveName() {
            return teaching.name();
        }

        @Override
        public EchoServer.Factory factory() {
            return teaching.factory();
        }

        @Override
        public ThreadsPerConnection threads() {
            return teaching.threads();
        }

        @Override
        public boolean oneAtATime() {
            return teaching.oneAtATime();
        }
    }

    /**
     * A line server (PROTOCOL.md, "Messages over the stream"): a teaching file of its own in its stream twin's module,
     * run from the twin's jar by its own main ({@code LinesMain}, beside the file), named {@code TWIN-lines}. The tools
     * start it with its default framing, {@code \n}.
     *
     * @param teaching its stream twin, whose module and jar hold it
     * @param framed how to open it in this JVM with a framing of one's choice
     */
    public record Lines(Teaching teaching, Class<? extends EchoServer> type, ServerCommand.LinesFactory framed) implements TeachingServer {

        /** Opens it framing with {@code \n}, as the tools start it. */
        @Override
        public EchoServer.Factory factory() {
            return (address, connections) -> framed.open(address, connections, Framing.LINE);
        }

        @Override
        public String name() {
            return teaching.name() + "-lines";
        }

        @Override
        public Kind kind() {
            return Kind.LINES;
        }

        @Override
        public String module() {
            return teaching.module();
        }

        @Override
        public String jar() {
            return teaching.jar();
        }

        @Override
        public List<String> jvmFlags() {
            return List.of();
        }

        @Override
        public ThreadsPerConnection threads() {
            return teaching.threads();
        }

        @Override
        public String mainClass() {
            return type.getPackageName() + ".LinesMain";
        }

        @Override
        public List<String> launch(Path tree) {
            return List.of("-cp", jarIn(tree).toString(), mainClass());
        }

        @Override
        public Optional<Framing.Terminator> terminator() {
            return Optional.of((Framing.Terminator) Framing.LINE);
        }

        @Override
        public Optional<String> streamTwin() {
            return Optional.of(teaching.name());
        }
    }

    /**
     * A reference peer on the JVM, from a jar of its own (Netty's echo).
     *
     * @param whyUnavailable why it cannot run on this machine (null when it can), asked before it is started
     */
    public record JvmPeer(String name, String module, String jar, List<String> jvmFlags, Supplier<String> whyUnavailable)
            implements JvmServer {

        @Override
        public Kind kind() {
            return Kind.REFERENCE;
        }
    }

    /** A reference peer that is a program of its own, built by the bench (see {@link NativePeers}, which also says when one cannot run here). */
    public record NativePeer(String name, String program) implements Entry {

        @Override
        public Kind kind() {
            return Kind.REFERENCE;
        }
    }

    /**
     * A Python peer: a file of bench/python/ run with the machine's Python ({@link PythonPeers}), named
     * {@code py-MODEL} after its file {@code py_MODEL.py}, or {@code py-MODEL+VARIANT} when run with
     * {@code --VARIANT} (./echolab serve follows the same rule).
     *
     * @param twin the Java teaching server it is the Python form of
     * @param threads what each connection costs it in threads, which its test reads from /proc
     * @param modules the modules it imports beyond the ones every Python has, asked before it is started
     * @param model whether its file is a model in the teaching files' five sections; false for py-uvloop,
     *              whose file runs py-asyncio-protocol's server on another event loop
     * @param streamTwin for a Python line server, the Python peer of the echo of a stream it frames (py-asyncore for
     *                   py-asynchat); empty for the others
     */
    public record PythonPeer(String name, String twin, boolean oneAtATime, ThreadsPerConnection threads, List<String> modules,
                             boolean model, Optional<String> streamTwin) implements Entry {

        @Override
        public Kind kind() {
            return Kind.PYTHON;
        }

        /** The file, relative to a checkout: py-asyncore+select is bench/python/py_asyncore.py. */
        public String script() {
            return PythonPeers.FOLDER + "/" + name.split("\\+")[0].replace('-', '_') + ".py";
        }

        /** Whether the course shows its file: a model of its own, not a variant of one (py-asyncore+select). */
        public boolean ownFile() {
            return model && !name.contains("+");
        }

        /** A Python line server frames its messages as the Java ones do, with {@code \n} unless told otherwise. */
        @Override
        public Optional<Framing.Terminator> terminator() {
            return streamTwin.map(t -> (Framing.Terminator) Framing.LINE);
        }

        /** The switch of a variant ({@code --select} for py-asyncore+select), or none. */
        public List<String> args() {
            int plus = name.indexOf('+');
            return plus < 0 ? List.of() : List.of("--" + name.substring(plus + 1));
        }
    }

    /** The same JVM flags for every JVM server, recorded in results.json. */
    public static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    private static final List<Teaching> TEACHING_SERVERS = List.of(
            new Teaching("sync", SyncEchoServer.class, SyncEchoServer::new, true, ThreadsPerConnection.NONE),
            new Teaching("thread-per-conn", ThreadPerConnEchoServer.class, ThreadPerConnEchoServer::new, false,
                    ThreadsPerConnection.ONE_PLATFORM_THREAD),
            new Teaching("selector", SelectorEchoServer.class, SelectorEchoServer::new, false, ThreadsPerConnection.NONE),
            new Teaching("virtual-thread", VirtualThreadEchoServer.class, VirtualThreadEchoServer::new, false,
                    ThreadsPerConnection.ONE_VIRTUAL_THREAD));

    public static final List<Entry> ALL = java.util.stream.Stream.<Entry>concat(TEACHING_SERVERS.stream(), java.util.stream.Stream.<Entry>of(
            netty("netty", Transport.EPOLL),
            netty("netty-uring", Transport.IO_URING),
            new NativePeer("native", NativePeers.EPOLL_SERVER),
            new NativePeer("native-uring", NativePeers.URING_SERVER))).toList();

    /**
     * The Python peers, in the order of their Java twins; they run only when named, or as a group with
     * {@code --only python}, so that the default bench keeps its time.
     */
    private static final List<PythonPeer> PYTHON = List.of(
            new PythonPeer("py-blocking", "sync", true, ThreadsPerConnection.NONE, List.of(), true, Optional.empty()),
            new PythonPeer("py-threads", "thread-per-conn", false, ThreadsPerConnection.ONE_PLATFORM_THREAD, List.of(), true, Optional.empty()),
            new PythonPeer("py-asyncore", "selector", false, ThreadsPerConnection.NONE, List.of("asyncore"), true, Optional.empty()),
            new PythonPeer("py-asyncore+select", "selector", false, ThreadsPerConnection.NONE, List.of("asyncore"), true, Optional.empty()),
            new PythonPeer("py-asyncio-protocol", "selector", false, ThreadsPerConnection.NONE, List.of(), true, Optional.empty()),
            new PythonPeer("py-uvloop", "selector", false, ThreadsPerConnection.NONE, List.of("uvloop"), false, Optional.empty()),
            new PythonPeer("py-asyncio", "virtual-thread", false, ThreadsPerConnection.NONE, List.of(), true, Optional.empty()),
            new PythonPeer("py-gevent", "virtual-thread", false, ThreadsPerConnection.NONE, List.of("gevent"), true, Optional.empty()));

    /**
     * The Python line servers, beside the Java ones: asynchat's {@code async_chat} and asyncio's streams reading until
     * the terminator. They run when named, or with {@code --only lines}; {@code --only python} is the stream peers.
     */
    private static final List<PythonPeer> PYTHON_LINES = List.of(
            new PythonPeer("py-asynchat", "selector-lines", false, ThreadsPerConnection.NONE, List.of("asyncore", "asynchat"), true,
                    Optional.of("py-asyncore")),
            new PythonPeer("py-asyncio-lines", "virtual-thread-lines", false, ThreadsPerConnection.NONE, List.of(), true,
                    Optional.of("py-asyncio")));

    /** The name that stands for every Python peer in a list of servers ({@code --only python}). */
    public static final String PYTHON_GROUP = "python";

    /**
     * The line servers, each beside its stream twin; like the Python peers they run only when named, or as a group
     * with {@code --only lines}.
     */
    private static final List<Lines> LINES = List.of(
            new Lines(teachingServer("selector"), SelectorLinesServer.class, SelectorLinesServer::new),
            new Lines(teachingServer("virtual-thread"), VirtualThreadLinesServer.class, VirtualThreadLinesServer::new));

    /** The name that stands for every line server in a list of servers ({@code --only lines}). */
    public static final String LINES_GROUP = "lines";

    /**
     * Teaching servers run with switches the JDK already offers, which change what their model costs and
     * which nobody should set without measuring: how virtual threads wait for sockets ({@code jdk.pollerMode}:
     * 1, platform poller threads; 2, virtual poller threads, the default on Linux; 3, a poller per carrier,
     * which JDK 25 does not know: its poller fails to start, and the bench's failed rows quote why) and how
     * many carriers run them. Named {@code server+setting}; bench (with --only) and check run them like any
     * server, and results.json keeps their flags in the server's command.
     */
    public static final List<Variant> VARIANTS = List.of(
            new Variant(teachingServer("virtual-thread"), "pollerMode=1", "-Djdk.pollerMode=1"),
            new Variant(teachingServer("virtual-thread"), "pollerMode=3", "-Djdk.pollerMode=3"),
            new Variant(teachingServer("virtual-thread"), "carriers=1", "-Djdk.virtualThreadScheduler.parallelism=1"));

    private ServerCatalogue() {
    }

    /** Every server bench can run: the catalogue's servers, the variants, the Python peers and the line servers (which run only when named). */
    public static List<Entry> runnable() {
        return java.util.stream.Stream.of(ALL, VARIANTS, PYTHON, LINES, PYTHON_LINES).<Entry>flatMap(List::stream).toList();
    }

    /** The Java servers with a teaching file of their own: the teaching servers and the Java line servers. */
    public static List<TeachingServer> javaFiles() {
        return java.util.stream.Stream.<TeachingServer>concat(TEACHING_SERVERS.stream(), LINES.stream()).toList();
    }

    /** The line servers, Java and Python. */
    public static List<Entry> lines() {
        return java.util.stream.Stream.<Entry>concat(LINES.stream(), PYTHON_LINES.stream()).toList();
    }

    /** The Python line servers. */
    public static List<PythonPeer> pythonLines() {
        return PYTHON_LINES;
    }

    /** The Python peers. */
    public static List<PythonPeer> python() {
        return PYTHON;
    }

    /** The servers check can compare with a base revision: the teaching servers, their variants and the Java line servers. */
    public static List<TeachingServer> checkable() {
        return java.util.stream.Stream.of(TEACHING_SERVERS, VARIANTS, LINES).<TeachingServer>flatMap(List::stream).toList();
    }

    /** Netty's echo over one of its transports: the peers module's own jar, the transport a system property. */
    private static JvmPeer netty(String name, Transport transport) {
        return new JvmPeer(name, "bench/peers", "bench/peers/target/netty-echo.jar",
                List.of("-D" + NettyEchoServer.TRANSPORT + "=" + transport.name().toLowerCase()), transport::whyUnavailable);
    }

    public static List<Teaching> teaching() {
        return TEACHING_SERVERS;
    }

    public static List<String> names(List<? extends Entry> entries) {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * The servers called {@code names} among {@code among}, in that order ({@value #PYTHON_GROUP}: every Python peer
     * among them; {@value #LINES_GROUP}: every line server among them); IllegalArgumentException naming the choices for one that is not, or naming one given twice (a
     * list option given twice adds up).
     */
    public static <E extends Entry> List<E> named(List<String> names, List<E> among) {
        List<String> expanded = names.stream().flatMap(n -> n.strip().equals(PYTHON_GROUP) || n.strip().equals(LINES_GROUP)
                ? (n.strip().equals(PYTHON_GROUP) ? PYTHON.stream().map(PythonPeer::name) : lines().stream().map(Entry::name))
                        .filter(p -> among.stream().anyMatch(e -> e.name().equals(p)))
                : java.util.stream.Stream.of(n)).toList();
        List<E> entries = expanded.stream().map(n -> named(n, among)).toList();
        Set<String> seen = new HashSet<>();
        for (E e : entries) {
            if (!seen.add(e.name())) {
                throw new IllegalArgumentException("server '" + e.name() + "' is named twice");
            }
        }
        return entries;
    }

    /** The teaching server called {@code name}; IllegalArgumentException naming the choices otherwise. */
    public static Teaching teachingServer(String name) {
        return named(name, TEACHING_SERVERS);
    }

    /** The entry called {@code name}; IllegalArgumentException naming the choices otherwise. */
    public static <E extends Entry> E named(String name, List<E> among) {
        return among.stream().filter(e -> e.name().equals(name.strip())).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown server '" + name.strip() + "'; choose from " + String.join(", ", names(among))));
    }
}
