package echolab.bench.harness;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import echolab.common.ThreadsPerConnection;
import echolab.common.EchoServer;
import echolab.bench.peers.NettyEchoServer;
import echolab.bench.peers.NettyEchoServer.Transport;
import echolab.selector.SelectorEchoServer;
import echolab.sync.SyncEchoServer;
import echolab.threadperconn.ThreadPerConnEchoServer;
import echolab.virtualthread.VirtualThreadEchoServer;

/**
 * The one place a server is listed: the four teaching servers and the reference peers (Netty and native C
 * servers, each over epoll and over io_uring), with where
 * each is built, how it is started, and (for the teaching servers) its factory for running in-process.
 * bench, check, the JMH suite and the launcher script all follow this list.
 */
public final class ServerCatalogue {

    /** A teaching server; a reference peer; a teaching server run with JVM flags that change its cost (a variant). */
    public enum Kind { TEACHING, REFERENCE, VARIANT;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * @param module the Maven module that builds it (null for the native peer, which the bench compiles)
     * @param jar the runnable jar, relative to a checkout (null for the native peer)
     * @param args arguments after {@code -jar JAR}
     * @param oneAtATime serves one connection at a time by design: its starved connections are its model
     * @param threads what each connection it holds costs in threads, which the contract suite checks (teaching servers only)
     * @param factory how to open it in this JVM (teaching servers only; null for the peers)
     * @param type the teaching file's class (teaching servers only; null for the peers)
     * @param program the native peer's program (see {@link NativePeers}); null for the JVM servers
     * @param jvmFlags flags of this server's own, after the JVM flags every JVM server gets (e.g. a transport)
     * @param whyUnavailable why it cannot run on this machine (null when it can), asked before it is started
     */
    public record Entry(String name, Kind kind, String module, String jar, List<String> args, boolean oneAtATime,
                        ThreadsPerConnection threads, EchoServer.Factory factory, Class<? extends EchoServer> type,
                        String program, List<String> jvmFlags, Supplier<String> whyUnavailable) {

        public boolean isJvm() {
            return jar != null;
        }

        public Path jarIn(Path tree) {
            return tree.resolve(jar);
        }

        /** The teaching file, relative to a checkout: e.g. sync-echo/src/main/java/echolab/sync/SyncEchoServer.java. */
        public String source() {
            return module + "/src/main/java/" + type.getName().replace('.', '/') + ".java";
        }

        /** The class whose main runs the server from its jar (the module's {@code Main}, next to the teaching file). */
        public String mainClass() {
            return type.getPackageName() + ".Main";
        }
    }

    /** The same JVM flags for every JVM server, recorded in results.json. */
    public static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    public static final List<Entry> ALL = List.of(
            teaching("sync", SyncEchoServer.class, SyncEchoServer::new, true, ThreadsPerConnection.NONE),
            teaching("thread-per-conn", ThreadPerConnEchoServer.class, ThreadPerConnEchoServer::new, false,
                    ThreadsPerConnection.ONE_PLATFORM_THREAD),
            teaching("selector", SelectorEchoServer.class, SelectorEchoServer::new, false, ThreadsPerConnection.NONE),
            teaching("virtual-thread", VirtualThreadEchoServer.class, VirtualThreadEchoServer::new, false,
                    ThreadsPerConnection.ONE_VIRTUAL_THREAD),
            netty("netty", Transport.EPOLL),
            netty("netty-uring", Transport.IO_URING),
            nativePeer("native", NativePeers.EPOLL_SERVER),
            nativePeer("native-uring", NativePeers.URING_SERVER));

    /**
     * Teaching servers run with switches the JDK already offers, which change what their model costs and
     * which nobody should set without measuring: how virtual threads wait for sockets ({@code jdk.pollerMode}:
     * 1, platform poller threads; 2, virtual poller threads, the default on Linux; 3, a poller per carrier,
     * which JDK 25 does not know: its poller fails to start, and the bench's failed rows quote why) and how
     * many carriers run them. Named {@code server+setting}; bench (with --only) and check run them like any
     * server, and results.json keeps their flags in the server's command.
     */
    public static final List<Entry> VARIANTS = List.of(
            variant("virtual-thread", "pollerMode=1", "-Djdk.pollerMode=1"),
            variant("virtual-thread", "pollerMode=3", "-Djdk.pollerMode=3"),
            variant("virtual-thread", "carriers=1", "-Djdk.virtualThreadScheduler.parallelism=1"));

    private ServerCatalogue() {
    }

    private static Entry variant(String base, String setting, String flag) {
        Entry b = named(base, teaching());
        return new Entry(base + "+" + setting, Kind.VARIANT, b.module(), b.jar(), b.args(), b.oneAtATime(), b.threads(), b.factory(),
                b.type(), null, List.of(flag), () -> null);
    }

    /** Every server bench can run: the catalogue's servers and the variants (which run only when named). */
    public static List<Entry> runnable() {
        return java.util.stream.Stream.concat(ALL.stream(), VARIANTS.stream()).toList();
    }

    /** The servers check can compare with a base revision: the teaching servers and their variants. */
    public static List<Entry> checkable() {
        return java.util.stream.Stream.concat(teaching().stream(), VARIANTS.stream()).toList();
    }

    private static Entry teaching(String name, Class<? extends EchoServer> type, EchoServer.Factory factory, boolean oneAtATime,
                                  ThreadsPerConnection threads) {
        String module = name + "-echo";
        return new Entry(name, Kind.TEACHING, module, module + "/target/" + module + ".jar", List.of(), oneAtATime, threads,
                factory, type, null, List.of(), () -> null);
    }

    /** Netty's echo over one of its transports: the peers module's own jar, the transport a system property. */
    private static Entry netty(String name, Transport transport) {
        return new Entry(name, Kind.REFERENCE, "bench/peers", "bench/peers/target/netty-echo.jar", List.of(), false, null, null, null, null,
                List.of("-D" + NettyEchoServer.TRANSPORT + "=" + transport.name().toLowerCase()), transport::whyUnavailable);
    }

    /** A native C peer, built by the bench (see NativePeers, which also says when one cannot run here). */
    private static Entry nativePeer(String name, String program) {
        return new Entry(name, Kind.REFERENCE, null, null, List.of(), false, null, null, null, program, List.of(), () -> null);
    }

    public static List<Entry> teaching() {
        return ALL.stream().filter(e -> e.kind() == Kind.TEACHING).toList();
    }

    public static List<String> names(List<Entry> entries) {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * The servers called {@code names} among {@code among}, in that order; IllegalArgumentException naming the
     * choices for one that is not, or naming one given twice (a list option given twice adds up).
     */
    public static List<Entry> named(List<String> names, List<Entry> among) {
        List<Entry> entries = names.stream().map(n -> named(n, among)).toList();
        Set<String> seen = new HashSet<>();
        for (Entry e : entries) {
            if (!seen.add(e.name())) {
                throw new IllegalArgumentException("server '" + e.name() + "' is named twice");
            }
        }
        return entries;
    }

    /** The teaching server called {@code name}; IllegalArgumentException naming the choices otherwise. */
    public static Entry teachingServer(String name) {
        return named(name, teaching());
    }

    /** The entry called {@code name}; IllegalArgumentException naming the choices otherwise. */
    public static Entry named(String name, List<Entry> among) {
        return among.stream().filter(e -> e.name().equals(name.strip())).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown server '" + name.strip() + "'; choose from " + String.join(", ", names(among))));
    }
}
