package echolab.bench.scale;

import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.harness.ServerProcess;
import echolab.bench.load.LatencySummary.Percentile;
import echolab.bench.results.Format;
import echolab.bench.results.Ladder;
import echolab.bench.results.Ladder.Limit;
import echolab.bench.results.Ladder.Stop;
import echolab.bench.results.Trial;
import echolab.bench.results.Unit;

/**
 * Whether a server held a step of the ladder, and when it did not, which limit stopped it, said in words
 * with the limit's value read from the machine, and the command that lifts it where it can be lifted. The
 * evidence, strongest first: what the server said (the JDK's and the servers' own messages), its
 * descriptors and threads against the limits, whether it is still running, then what the clients saw.
 */
final class Stops {

    static final String LIFT_DESCRIPTORS = "raise the hard limit where you may (root or CAP_SYS_RESOURCE): `ulimit -Hn 1048576` "
            + "in the shell that runs ./echolab, LimitNOFILE=1048576 for a systemd service, or nofile in "
            + "/etc/security/limits.conf (above fs.nr_open: `sysctl -w fs.nr_open=N` first); then ./echolab scale --server-nofile 1048576";
    static final String LIFT_THREADS = "sysctl -w kernel.pid_max=4194304 kernel.threads-max=4194304 vm.max_map_count=4194304 "
            + "(each thread's stack is a mapping and its guard page another)";

    private Stops() {
    }

    /** Every connection of the step opened, accepted and answering, none closed, nothing corrupted. */
    static boolean held(Trial.LadderStats l, int step) {
        return l.opened() == step && l.accepted() >= step && l.answering() != null && l.answering() >= step
                && l.active().corruptBytes() == 0 && l.active().closedByServer() == 0;
    }

    /** Null when {@code server} held the step; else what stopped it. */
    static Stop judge(Entry server, int step, Trial trial, ServerProcess process, Ladder.Limits limits, Ladder.Settings settings) {
        if (trial.status() == Trial.Status.OK) {
            return null;
        }
        Trial.LadderStats l = trial.step().orElseThrow();
        String said = process.stderrText();
        long[] nofile = MachineLimits.nofile(process.pid());
        long soft = nofile[0] > 0 ? nofile[0] : settings.serverNofile();
        long hard = nofile[1] > 0 ? nofile[1] : settings.serverNofile();
        if (said.contains("Too many open files") || (soft > 0 && l.descriptors() >= soft - 16)) {
            return new Stop(Limit.DESCRIPTORS, step, String.format("it held %,d connections with %,d descriptors open, "
                    + "at its limit (RLIMIT_NOFILE %,d soft, %,d hard; fs.nr_open %,d)%s", l.accepted(), l.descriptors(), soft, hard,
                    limits.nrOpen(), said.contains("Too many open files") ? "; it said: Too many open files" : ""), LIFT_DESCRIPTORS);
        }
        long threadCeiling = Math.min(limits.pidMax(), limits.threadsMax());
        boolean nearThreads = threadCeiling > 0 && l.threads() >= threadCeiling * 0.95;
        boolean nearMaps = limits.maxMapCount() > 0 && l.maps() >= limits.maxMapCount() * 0.95;
        if (nearMaps) {
            return new Stop(Limit.MAPPINGS, step, String.format("it had %,d memory mappings, at vm.max_map_count %,d (each thread's stack "
                    + "is a mapping and its guard page another), with %,d threads", l.maps(), limits.maxMapCount(), l.threads()),
                    "sysctl -w vm.max_map_count=4194304");
        }
        if (said.contains("unable to create native thread") || said.contains("pthread_create") || nearThreads) {
            return new Stop(Limit.THREADS, step, String.format("it ran %,d threads when it could not start another "
                    + "(kernel.pid_max %,d, kernel.threads-max %,d; vm.max_map_count %,d, with %,d mappings in use)", l.threads(),
                    limits.pidMax(), limits.threadsMax(), limits.maxMapCount(), l.maps()), LIFT_THREADS);
        }
        if (said.contains("Java heap space") || said.contains("GC overhead limit")) {
            return new Stop(Limit.HEAP, step, "it ran out of its -Xmx (OutOfMemoryError)" + process.complaint(),
                    "a larger -Xmx for the server");
        }
        if (said.contains("FD_SETSIZE")) {
            return new Stop(Limit.FD_SETSIZE, step, String.format("it polls with select(), which watches descriptors 0 to 1,023 only "
                    + "(FD_SETSIZE 1,024): with %,d descriptors open it refused the connections whose descriptor was 1,024 or above; "
                    + "it said: %s", l.descriptors(), firstLineWith(said, "FD_SETSIZE")), "poll() or epoll instead of select() "
                    + "(py-asyncore: asyncore.loop(use_poll=True))");
        }
        if (!process.alive()) {
            return new Stop(Limit.CRASHED, step, "the server exited" + process.lastWords(), null);
        }
        if (server.oneAtATime() && l.accepted() < step) {
            return new Stop(Limit.ONE_AT_A_TIME, step, String.format("it serves one connection at a time, by design: it accepted %,d; "
                    + "of the others, %,d connected into the kernel's accept queue (net.core.somaxconn %,d) and %,d could not connect",
                    l.accepted(), l.opened() - l.accepted(), limits.somaxconn(), step - l.opened()), null);
        }
        if (l.clientError() != null && l.clientError().contains("Cannot assign requested address")) {
            return new Stop(Limit.PORTS, step, String.format("%s (ephemeral ports %d-%d per source address)",
                    l.clientError(), limits.portLow(), limits.portHigh()), "more source addresses, or a wider net.ipv4.ip_local_port_range");
        }
        if (l.opened() < step || l.accepted() < l.opened()) {
            return new Stop(Limit.NOT_ACCEPTED, step, String.format("it accepted %,d of %,d connections; %,d could not connect%s",
                    l.accepted(), step, step - l.opened(), l.clientError() == null ? "" : " (" + l.clientError() + ")"), null);
        }
        if (l.active().corruptBytes() > 0) {
            return new Stop(Limit.CORRUPT, step, String.format("%,d echoed bytes differed from those sent", l.active().corruptBytes()), null);
        }
        return new Stop(Limit.NOT_ANSWERED, step, String.format("with every connection active, %,d of %,d were never answered "
                        + "and %,d closed by the server (%,d of %,d messages answered)", l.active().silent(), l.opened(),
                l.active().closedByServer(), l.active().answered(), l.active().sent()), null);
    }

    /** One progress line for a step. */
    static String describe(String server, int step, Trial t) {
        if (t.step().isEmpty()) {
            return server + " at " + step + ": " + t.error();
        }
        Trial.LadderStats l = t.step().get();
        return String.format("%s at %,d: opened %,d, accepted %,d, answering %,d in %.1f s; RSS %s KiB/conn, %s threads/conn; "
                        + "idle CPU %s%%; one active p99 %s; all active p99 %s", server, step, l.opened(), l.accepted(),
                l.answering(), l.openSeconds(), Format.number(l.rssPerConnectionKiB(), "%.2f"),
                Format.number(l.threadsPerConnection(), "%.3f"), Format.number(l.idleCpuPercent(), "%.1f"), Unit.LATENCY.withSymbol(t.latency(Percentile.P99)),
                Unit.LATENCY.withSymbol(l.active().latencyMicros().at(Percentile.P99)));
    }

    /** The first line of {@code text} that holds {@code word}, stripped. */
    private static String firstLineWith(String text, String word) {
        return text.lines().filter(l -> l.contains(word)).findFirst().orElse("").strip();
    }
}
