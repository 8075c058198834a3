package echolab.bench.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import echolab.bench.harness.Ssh;
import picocli.CommandLine.Option;

/**
 * The options of a command that reaches other hosts over ssh (load, bench and scale): which hosts generate the load,
 * where echo-lab is checked out on them, and the ssh_config to reach them with; a picocli mixin.
 */
public final class HostOptions {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--load-hosts", split = ",", paramLabel = "HOSTS", description = "Generate the load from these hosts over "
            + "ssh (names as ssh knows them), each running this echo-lab (same commit, built) at --remote-dir.")
    List<String> loadHosts;

    @Option(names = "--remote-dir", paramLabel = "DIR", description = "Where echo-lab is checked out on the other hosts "
            + "(default: this checkout's own path).")
    String remoteDir;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "An ssh_config file for reaching the other hosts "
            + "(default: ssh's own, ~/.ssh/config).")
    Path sshConfig;

    /** Whether {@code address} (null: the default, 127.0.0.1) is one only this machine reaches. */
    public static boolean loopback(String address) {
        return address == null || address.startsWith("127.") || address.equals("::1") || address.equals("localhost");
    }

    /** Whether --load-hosts was given. */
    public boolean loadFromHosts() {
        return loadHosts != null;
    }

    /** The load hosts, reached from the checkout {@code root}. */
    public RemoteLoad.Hosts loadHosts(Path root) {
        return hosts(loadHosts.stream().map(String::strip).toList(), root);
    }

    /** {@code names}, reached like the load hosts, from the checkout {@code root}. */
    public RemoteLoad.Hosts hosts(List<String> names, Path root) {
        Path here = root.toAbsolutePath().normalize();
        return new RemoteLoad.Hosts(names, new Ssh(sshConfig, CONNECT_TIMEOUT), remoteDir != null ? remoteDir : here.toString(), here);
    }
}
