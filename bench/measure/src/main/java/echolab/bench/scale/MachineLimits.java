package echolab.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import echolab.bench.results.Ladder;

/**
 * What the machine allows a server on the ladder, and what it has left, read from /proc as it is now:
 * a process's descriptor limit, the kernel's thread and mapping limits, memory, the clients' ports, and
 * the kernel's own memory for sockets. A value that cannot be read is -1.
 */
final class MachineLimits {

    private MachineLimits() {
    }

    /** The limits, with {@code nofile} as the descriptor limit (soft and hard) the servers get. */
    static Ladder.Limits read(long nofile) {
        String[] ports = text("/proc/sys/net/ipv4/ip_local_port_range", "-1 -1").split("\\s+");
        return new Ladder.Limits(nofile, nofile, number("/proc/sys/fs/nr_open"), number("/proc/sys/kernel/pid_max"),
                number("/proc/sys/kernel/threads-max"), number("/proc/sys/vm/max_map_count"), meminfo("MemTotal:"),
                meminfo("MemAvailable:"), Integer.parseInt(ports[0]), Integer.parseInt(ports[ports.length - 1]),
                (int) number("/proc/sys/net/core/somaxconn"));
    }

    /** {@code pid}'s RLIMIT_NOFILE, soft and hard, from /proc/PID/limits ("unlimited" as Long.MAX_VALUE). */
    static long[] nofile(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                    return new long[] {limit(f[0]), limit(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return new long[] {-1, -1};
    }

    /** This process's own descriptor limit, soft and hard (which a child started without prlimit inherits). */
    static long[] ownNofile() {
        return nofile(ProcessHandle.current().pid());
    }

    static long memAvailableKiB() {
        return meminfo("MemAvailable:");
    }

    /**
     * The slab caches a TCP connection's kernel objects live in (/proc/slabinfo, root only): the socket, its
     * inode, its open file and its epoll entries, machine-wide (both ends of a loopback connection); the
     * whole of Slab from /proc/meminfo when slabinfo cannot be read, which other work on the machine moves.
     */
    static long slabKiB() {
        try {
            long bytes = 0;
            for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
                String[] f = line.split("\\s+");
                if (SOCKET_CACHES.contains(f[0])) {
                    bytes += Long.parseLong(f[1]) * Long.parseLong(f[3]);   // active objects x object size
                }
            }
            return bytes / 1024;
        } catch (IOException | RuntimeException e) {
            return meminfo("Slab:");
        }
    }

    private static final java.util.Set<String> SOCKET_CACHES = java.util.Set.of("TCP", "TCPv6", "sock_inode_cache", "filp",
            "eventpoll_epi", "eventpoll_pwq", "request_sock_TCP", "tw_sock_TCP");

    /** Memory the kernel holds in TCP buffers, machine-wide (/proc/net/sockstat, "TCP: ... mem" in pages). */
    static long socketBuffersKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    List<String> words = List.of(line.split("\\s+"));
                    return Long.parseLong(words.get(words.indexOf("mem") + 1)) * 4;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** The memory mappings of {@code pid} (a thread's stack is one, and its guard page another). */
    static int maps(long pid) {
        try (var lines = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return (int) lines.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long limit(String value) {
        return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private static long meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static long number(String file) {
        try {
            return Long.parseLong(text(file, "-1").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(String file, String otherwise) {
        try {
            return String.join(" ", Files.readAllLines(Path.of(file))).strip();   // not readString: a /proc/sys file has no size
        } catch (IOException e) {
            return otherwise;
        }
    }
}
