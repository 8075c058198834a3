package echolab.bench.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import echolab.bench.harness.ChildProcess;

/**
 * Separate hosts for a test, built on this machine: a network namespace per host, each joined to a bridge by
 * a veth pair on a private subnet of its own, the generator hosts each running their own sshd with a host
 * key and a client key made for the test, and an ssh_config that names them. Everything is torn down by
 * {@link #close}, whatever the test did. Needs root (namespaces, sshd); {@link #whyNot} says when it cannot.
 */
final class TestHosts implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String prefix;
    private final String subnet;
    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> daemons = new ArrayList<>();
    private final List<String> sshHosts = new ArrayList<>();

    private TestHosts(Path dir) {
        long pid = ProcessHandle.current().pid();
        this.prefix = "el" + pid % 100_000;
        this.subnet = "10.213." + (pid % 200 + 20);
        this.dir = dir;
    }

    /** Why hosts cannot be built here (not root, no ip, no sshd); null when they can. */
    static String whyNot() throws InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces and sshd need root";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            return "no sshd (Debian: apt-get install openssh-server; .ci/run installs it)";
        }
        try {
            if (!ChildProcess.run(List.of("ip", "netns", "list"), null, COMMAND_TIMEOUT).ok()) {
                return "ip netns does not work here";
            }
        } catch (IOException e) {
            return "no ip command (Debian: iproute2)";
        }
        return null;
    }

    /** The server host ({@code server}) and {@code generators} generator hosts named g1, g2, ...; plus an unreachable name, {@code nowhere}. */
    static TestHosts build(Path dir, int generators) throws IOException, InterruptedException {
        TestHosts h = new TestHosts(dir);
        try {
            h.setUp(generators);
        } catch (IOException | InterruptedException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    private void setUp(int generators) throws IOException, InterruptedException {
        String bridge = prefix + "br";
        sh("ip link add " + bridge + " type bridge && ip addr add " + subnet + ".1/24 dev " + bridge + " && ip link set " + bridge + " up");
        namespaces.add("");                                     // the bridge is removed with the first teardown step
        host("server", 10);
        Files.createDirectories(Path.of("/run/sshd"));
        sh("ssh-keygen -q -t ed25519 -N '' -f " + dir.resolve("id") + " && ssh-keygen -q -t ed25519 -N '' -f " + dir.resolve("hostkey")
                + " && cp " + dir.resolve("id.pub") + " " + dir.resolve("authorized_keys"));
        StringBuilder config = new StringBuilder();
        for (int g = 1; g <= generators; g++) {
            String ns = host("g" + g, 10 + g);
            String address = subnet + "." + (10 + g);
            Path sshd = dir.resolve("sshd-g" + g + ".conf");
            Files.writeString(sshd, String.join("\n", "ListenAddress " + address, "Port 22", "HostKey " + dir.resolve("hostkey"),
                    "PidFile " + dir.resolve("sshd-g" + g + ".pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                    "UsePAM no", "StrictModes no", "") );
            daemons.add(ChildProcess.started(new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f",
                    sshd.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("sshd-g" + g + ".log").toFile()).start()));
            config.append(entry("g" + g, address));
            sshHosts.add("g" + g);
        }
        config.append(entry("nowhere", subnet + ".99"));
        Files.writeString(sshConfig(), config.toString());
        for (String g : sshHosts) {
            awaitSsh(g);
        }
    }

    private String entry(String name, String address) {
        return String.join("\n", "Host " + name, "  HostName " + address, "  User root", "  IdentityFile " + dir.resolve("id"),
                "  IdentitiesOnly yes", "  UserKnownHostsFile " + dir.resolve("known_hosts"), "  StrictHostKeyChecking accept-new",
                "  LogLevel ERROR", "");
    }

    /** A namespace with a veth pair to the bridge and the address subnet.N; its name. */
    private String host(String name, int n) throws IOException, InterruptedException {
        String ns = prefix + name;
        String outside = prefix + n + "o";
        String inside = prefix + n + "i";
        sh("ip netns add " + ns);
        namespaces.add(ns);
        sh("ip link add " + outside + " type veth peer name " + inside + " && ip link set " + inside + " netns " + ns
                + " && ip link set " + outside + " master " + prefix + "br up"
                + " && ip netns exec " + ns + " ip addr add " + subnet + "." + n + "/24 dev " + inside
                + " && ip netns exec " + ns + " ip link set " + inside + " up && ip netns exec " + ns + " ip link set lo up");
        return ns;
    }

    /** Waits, with a deadline, until sshd on {@code host} answers. */
    private void awaitSsh(String host) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ChildProcess.Result last = null;
        while (System.nanoTime() < deadline) {
            last = ChildProcess.run(List.of("ssh", "-F", sshConfig().toString(), "-o", "BatchMode=yes", "-o", "ConnectTimeout=2", host, "true"),
                    null, COMMAND_TIMEOUT);
            if (last.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("sshd on " + host + " did not answer: " + (last == null ? "" : last.output()));
    }

    Path sshConfig() {
        return dir.resolve("ssh_config");
    }

    /** This machine's own address on the hosts' network (the bridge's), for a server run here. */
    String hereAddress() {
        return subnet + ".1";
    }

    /** Generator host g{@code n}'s address. */
    String address(int n) {
        return subnet + "." + (10 + n);
    }

    /** The server host's address, as the generator hosts reach it. */
    String serverAddress() {
        return subnet + ".10";
    }

    /** The command that runs {@code command} on the server host (in its namespace). */
    List<String> onServer(List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "server"));
        c.addAll(command);
        return c;
    }

    /** {@code command} run in the namespace of generator host {@code name}; its output. */
    String in(String name, String command) throws IOException, InterruptedException {
        return ChildProcess.run(List.of("ip", "netns", "exec", prefix + name, "sh", "-c", command), null, COMMAND_TIMEOUT).output();
    }

    private static void sh(String command) throws IOException, InterruptedException {
        ChildProcess.Result r = ChildProcess.run(List.of("sh", "-c", command), null, COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new IOException("'" + command + "' failed: " + r.output());
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process d : daemons) {
            ChildProcess.kill(d);
        }
        for (String ns : namespaces) {
            try {
                if (ns.isEmpty()) {
                    ChildProcess.run(List.of("ip", "link", "del", prefix + "br"), null, COMMAND_TIMEOUT);
                } else {
                    ChildProcess.run(List.of("sh", "-c", "ip netns pids " + ns + " | xargs -r kill -9; ip netns del " + ns), null,
                            COMMAND_TIMEOUT);
                }
            } catch (IOException e) {
                // best effort: the rest is still removed
            }
        }
    }
}
