package echolab.bench.harness;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import echolab.common.EchoContract;
import echolab.common.EchoContract.ThreadsPerConnection;
import echolab.common.EchoServer;
import echolab.selector.SelectorEchoServer;
import echolab.sync.SyncEchoServer;
import echolab.threadperconn.ThreadPerConnEchoServer;
import echolab.virtualthread.VirtualThreadEchoServer;

/**
 * The one place a server is listed: the four teaching servers and the two reference peers, with where
 * each is built, how it is started, and (for the teaching servers) its factory for running in-process.
 * bench, check, the JMH suite and the launcher script all follow this list.
 */
public final class ServerCatalogue {

    public enum Kind { TEACHING, REFERENCE;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * @param module the Maven module that builds it (null for the native peer, which the bench compiles)
     * @param jar the runnable jar, relative to a checkout (null for the native peer)
     * @param args arguments after {@code -jar JAR} (the Netty peer is a subcommand of bench.jar)
     * @param oneAtATime serves one connection at a time by design: its starved connections are its model
     * @param threads what each connection it holds costs in threads, which the contract suite checks (teaching servers only)
     * @param factory how to open it in this JVM (teaching servers only; null for the peers)
     * @param type the teaching file's class (teaching servers only; null for the peers)
     */
    public record Entry(String name, Kind kind, String module, String jar, List<String> args, boolean oneAtATime,
                        EchoContract.ThreadsPerConnection threads, EchoServer.Factory factory, Class<? extends EchoServer> type) {

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
            new Entry("netty", Kind.REFERENCE, "bench", "bench/target/bench.jar", List.of("netty-echo"), false, null, null, null),
            new Entry("native", Kind.REFERENCE, null, null, List.of(), false, null, null, null));

    private ServerCatalogue() {
    }

    private static Entry teaching(String name, Class<? extends EchoServer> type, EchoServer.Factory factory, boolean oneAtATime,
                                  ThreadsPerConnection threads) {
        String module = name + "-echo";
        return new Entry(name, Kind.TEACHING, module, module + "/target/" + module + ".jar", List.of(), oneAtATime, threads,
                factory, type);
    }

    public static List<Entry> teaching() {
        return ALL.stream().filter(e -> e.kind() == Kind.TEACHING).toList();
    }

    public static List<String> names(List<Entry> entries) {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * The teaching servers called {@code names}, in that order; IllegalArgumentException naming the choices
     * for one that is not, or naming one given twice (a list option given twice adds up).
     */
    public static List<Entry> teaching(List<String> names) {
        List<Entry> entries = names.stream().map(ServerCatalogue::teachingServer).toList();
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
