package echolab.bench.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerCatalogue.JvmPeer;
import echolab.bench.harness.ServerCatalogue.JvmServer;
import echolab.bench.harness.ServerCatalogue.NativePeer;
import echolab.bench.harness.ServerCatalogue.PythonPeer;
import echolab.bench.harness.ServerCatalogue.Teaching;
import echolab.bench.harness.ServerCatalogue.TeachingServer;
import echolab.bench.harness.ServerCatalogue.Variant;
import echolab.common.Framing;

/**
 * Starts the servers of the catalogue: the command line (the same JVM flags for every JVM server,
 * pinned to the server CPUs), the start and its {@code listening on} handshake, within one timeout.
 *
 * @param java the java binary for JVM servers (the one running this bench)
 * @param natives the compiled native peers ({@link NativePeers#none()} for a command that starts none)
 * @param recordVirtualThreads whether a server that runs virtual threads is started with a JFR recording
 *        ({@link VirtualThreadTelemetry}), for a command that reports what its virtual threads did
 * @param address the address the servers listen on; null for their default, 127.0.0.1
 * @param remote the host the servers run on, over ssh; null for this machine
 */
public record Launcher(String java, Pinning pinning, NativePeers natives, boolean recordVirtualThreads, String address,
                       RemoteHost remote) {

    /** Another host the servers run on: how to reach it, and where echo-lab is checked out and built there. */
    public record RemoteHost(String host, Ssh ssh, String dir) {
    }

    /** How long a server on another host may run at most, whatever happens to this tool. */
    private static final Duration REMOTE_LIMIT = Duration.ofHours(2);

    public Launcher(String java, Pinning pinning, NativePeers natives) {
        this(java, pinning, natives, false, null, null);
    }

    /** This launcher, starting each virtual-thread server with a recording of its virtual threads, or without. */
    public Launcher recordingVirtualThreads(boolean record) {
        return new Launcher(java, pinning, natives, record, address, remote);
    }

    /** This launcher, its servers listening on {@code host} (an address other machines reach, for load from them). */
    public Launcher listeningOn(String host) {
        return new Launcher(java, pinning, natives, recordVirtualThreads, host, remote);
    }

    /** This launcher, its servers started on another host ({@code null}: here). */
    public Launcher on(RemoteHost host) {
        return new Launcher(java, pinning, natives, recordVirtualThreads, address, host);
    }

    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** The java that runs this process. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * The command that runs {@code server} as built in {@code tree}, with {@code extraFlags} for the JVM, as it
     * is recorded (a recording's repository, made for each start, written as {@code $TMPDIR/echolab-jfr-*}).
     */
    public List<String> command(Entry server, Path tree, List<String> extraFlags) {
        if (remote != null) {
            return remoteCommand(server, extraFlags);
        }
        return command(server, tree, extraFlags, records(server) ? VirtualThreadTelemetry.jvmFlags("$TMPDIR/echolab-jfr-*") : List.of());
    }

    /**
     * The ssh command that runs a teaching server (or a variant) on the remote host with ./echolab serve, the
     * JVM flags in ECHOLAB_JAVA_OPTS, under {@code timeout}; it stops the server when the session's input closes.
     */
    private List<String> remoteCommand(Entry server, List<String> extraFlags) {
        if (!(server instanceof TeachingServer t)) {
            throw new IllegalArgumentException(server.name() + " runs only on this machine");
        }
        List<String> flags = new ArrayList<>(ServerCatalogue.JVM_FLAGS);
        flags.addAll(t.jvmFlags());
        flags.addAll(extraFlags);
        String serve = "ECHOLAB_JAVA_OPTS=" + Ssh.quoted(String.join(" ", flags)) + " timeout -k 5 " + REMOTE_LIMIT.toSeconds()
                + " ./echolab serve " + Ssh.quoted(t.serveName()) + (address == null ? "" : " --host " + Ssh.quoted(address)) + " --port 0";
        String script = "cd " + Ssh.quoted(remote.dir()) + " && { " + serve + " & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid; }";
        return remote.ssh().command(remote.host(), script);
    }

    private boolean records(Entry server) {
        return recordVirtualThreads && VirtualThreadTelemetry.recorded(server);
    }

    private List<String> command(Entry server, Path tree, List<String> extraFlags, List<String> recording) {
        List<String> command = new ArrayList<>();
        switch (server) {
            case JvmServer jvm -> {
                command.add(java);
                command.addAll(ServerCatalogue.JVM_FLAGS);
                command.addAll(jvm.jvmFlags());
                command.addAll(extraFlags);
                command.addAll(recording);
                command.addAll(jvm.launch(tree));
            }
            case NativePeer p -> {
                Path binary = natives.binary(p.program());
                command.add(binary == null ? p.program() : binary.toString());
            }
            case PythonPeer p -> {
                command.add(PythonPeers.interpreter());
                command.add(tree.resolve(p.script()).toString());
                command.addAll(p.args());
            }
        }
        if (address != null) {
            command.addAll(List.of("--host", address));
        }
        command.addAll(List.of("--port", "0"));
        return command;
    }

    /** Why {@code server} cannot be started from {@code tree}, or null when it can. A variant is tried once ({@link #refusal}). */
    public String unavailable(Entry server, Path tree) throws InterruptedException {
        if (remote != null && (server.kind() == ServerCatalogue.Kind.REFERENCE || server.kind() == ServerCatalogue.Kind.PYTHON)) {
            return "runs only on this machine (on " + remote.host() + ", ./echolab serve starts the teaching servers, their variants and the line servers)";
        }
        if (remote != null) {
            return server instanceof Variant v ? refusal(v, tree) : null;
        }
        return switch (server) {
            case NativePeer p -> natives.problem(p.program());
            case PythonPeer p -> PythonPeers.whyUnavailable(p, tree);
            case JvmServer jvm when !Files.isRegularFile(jvm.jarIn(tree)) -> "not built: " + jvm.jarIn(tree);
            case JvmPeer p -> p.whyUnavailable().get();
            case Variant v -> refusal(v, tree);
            case Teaching t -> null;
            case ServerCatalogue.Lines l -> null;
        };
    }

    /**
     * Whether this JDK takes a variant's switches, which it may refuse only once a thread uses them: the
     * variant is started, a connection is left silent for a second (its thread has to wait, and a server whose
     * waiting fails closes it), then must echo a byte. Null when it does; else the JVM's own reason. Asked once
     * per variant and process.
     */
    private String refusal(Variant variant, Path tree) throws InterruptedException {
        String known = REFUSALS.get(variant.name());
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String why;
        try (ServerProcess p = recordingVirtualThreads(false).start(variant, tree, List.of());
             java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(p.host(), p.port()), 2_000);
            s.setSoTimeout(1_000);
            boolean echoed = false;
            try {
                s.getInputStream().read();                    // nothing sent: its thread must wait; a refusal closes at once
            } catch (java.net.SocketTimeoutException waited) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(862 & 0xff);
                echoed = s.getInputStream().read() == (862 & 0xff);
            }
            if (!echoed) {
                p.stop();                                     // its stderr, read to the end: the reason it printed
            }
            why = echoed ? null : "this JDK refuses " + String.join(" ", variant.jvmFlags())
                    + ": it closed the connection instead of echoing" + p.complaint();
        } catch (java.io.IOException e) {
            why = "this JDK refuses " + String.join(" ", variant.jvmFlags()) + ": " + e.getMessage();
        }
        REFUSALS.put(variant.name(), why == null ? "" : why);
        return why;
    }

    private static final java.util.Map<String, String> REFUSALS = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerProcess start(Entry server, Path tree, List<String> extraFlags) throws IOException, InterruptedException {
        return start(server, tree, extraFlags, List.of());
    }

    /** As above, the command run by {@code wrapper} (e.g. {@code prlimit --nofile=N:N}), on the server CPUs. */
    public ServerProcess start(Entry server, Path tree, List<String> extraFlags, List<String> wrapper)
            throws IOException, InterruptedException {
        if (remote != null) {
            return ServerProcess.start(server.name(), command(server, tree, extraFlags), START_TIMEOUT.plusSeconds(40), null,
                    remote.host(), server.terminator());
        }
        VirtualThreadTelemetry telemetry = records(server) ? VirtualThreadTelemetry.create() : null;
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(command(server, tree, extraFlags, telemetry == null ? List.of() : telemetry.jvmFlags()));
        try {
            return ServerProcess.start(server.name(), pinning.server(command), START_TIMEOUT, telemetry, null, server.terminator());
        } catch (IOException | RuntimeException e) {
            if (telemetry != null) {
                telemetry.close();
            }
            throw e;
        }
    }

    /**
     * A line server (Java or Python) started framing as {@code framing} says ({@link Framing#arguments}), on the server
     * CPUs, with no recording; a load sent to it through {@link Measurement} frames its messages the same way.
     */
    public ServerProcess start(Entry server, Path tree, Framing framing) throws IOException, InterruptedException {
        if (server.terminator().isEmpty()) {
            throw new IllegalArgumentException(server.name() + " echoes a stream: it has no framing to set");
        }
        List<String> command = new ArrayList<>(command(server, tree, List.of(), List.of()));
        command.addAll(framing.arguments());
        return ServerProcess.start(server.name(), pinning.server(command), START_TIMEOUT, null, null, framing.terminator());
    }

    /** Starts a teaching server's main from a class path (e.g. an exercise's broken copy ahead of the jar), pinned. */
    public ServerProcess start(TeachingServer server, List<Path> classpath, String label) throws IOException, InterruptedException {
        return start(server, classpath, label, Optional.empty());
    }

    /**
     * As above, a line server framing as {@code framing} says ({@link Framing#arguments}; empty: its own framing); a
     * load sent to it through {@link Measurement} frames its messages the same way.
     */
    public ServerProcess start(TeachingServer server, List<Path> classpath, String label, Optional<Framing> framing)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(ServerCatalogue.JVM_FLAGS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(server.mainClass());
        command.addAll(List.of("--port", "0"));
        framing.ifPresent(f -> command.addAll(f.arguments()));
        return ServerProcess.start(label, pinning.server(command), START_TIMEOUT, null, null,
                framing.map(Framing::terminator).orElse(server.terminator()));
    }
}
