package echolab.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The system's OpenSSH client, as echo-lab runs it on other hosts: key-based only ({@code BatchMode=yes}, never a
 * password prompt), a connect timeout, no terminal, and the user's {@code ~/.ssh/config} (or the file given)
 * for names, users, ports and keys. What ssh says when it cannot connect is turned into one line that says
 * what to do.
 *
 * @param config an ssh_config file to use instead of ~/.ssh/config; null for ssh's own choice
 */
public record Ssh(Path config, Duration connectTimeout) {

    /** The command that runs {@code remote} (a shell command line) on {@code host}. */
    public List<String> command(String host, String remote) {
        List<String> c = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=" + connectTimeout.toSeconds(),
                "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"));
        if (config != null) {
            c.addAll(List.of("-F", config.toString()));
        }
        c.addAll(List.of(host, remote));
        return c;
    }

    /** {@code text} quoted for a POSIX shell. */
    public static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Why ssh (exit status 255) could not run a command on {@code host}, from its last words, with what to do. */
    public static String whyNot(String host, String stderr) {
        String last = stderr.strip().lines().reduce((a, b) -> b).orElse("no reason given").strip();
        String lower = last.toLowerCase();
        String fix;
        if (lower.contains("permission denied")) {
            fix = "the key was refused: put your public key in ~/.ssh/authorized_keys there (ssh-copy-id " + host + ")";
        } else if (lower.contains("could not resolve")) {
            fix = "the name is unknown: check it, or give it a HostName in ~/.ssh/config";
        } else if (lower.contains("host key verification failed")) {
            fix = "its host key is not known here: connect once with ssh " + host + " and check the key";
        } else {
            fix = "check that the host is up and that sshd runs there (ssh " + host + " true)";
        }
        return "cannot reach it over ssh (" + last + "): " + fix;
    }
}
