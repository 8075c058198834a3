package echolab.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import echolab.bench.base.Durations;
import echolab.bench.base.Json;
import echolab.bench.base.RunOutput;
import echolab.bench.harness.Checkout;
import echolab.bench.load.LoadCommand;
import echolab.bench.load.LoadConfig;
import echolab.bench.remote.HostOptions;
import echolab.bench.remote.RemoteLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./echolab load}: the load module's generator ({@link LoadCommand}), and with {@code --load-hosts} the same
 * load from generators on other hosts started over ssh ({@link RemoteLoad}).
 */
@Command(name = "load", sortOptions = false, usageHelpAutoWidth = true,
        description = "Drive an echo server and measure it: throughput, latency percentiles (HdrHistogram), errors. "
            + "Closed loop by default (send, wait for the whole echo, send again); --rate R makes it open loop, "
            + "with latency measured from each message's planned send time (coordinated omission corrected). "
            + "Every echoed byte is checked against what was sent. Before the warm-up each connection is echoed "
            + "once (the ramp-up, bounded by --ramp-up), so measuring starts with every connection served. "
            + "With --load-hosts the load comes from echo-lab's generator on each of those hosts instead (over ssh, "
            + "key-based), each with its share of the connections and the rate, all starting at one instant; their "
            + "counts are summed and their latency histograms merged second by second.",
        footer = {"", "Examples:",
            "  ./echolab load --port 7007 --connections 100 --size 64 --duration 10s",
            "  ./echolab load --host 10.0.0.5 --port 7007 --connections 2000 \\",
            "      --rate 200000 --load-hosts gen1,gen2 --hlog all.hlog",
            "Exit status: 0 no errors; 1 errors, connections not opened, or a host's",
            "share missing; 2 bad usage, or a host that cannot take part (named, with",
            "what to do)."})
public final class LoadFromHostsCommand extends LoadCommand {

    @Mixin
    HostOptions hosts;

    @Mixin
    Checkout checkout;

    @Override
    public Integer call() throws Exception {
        if (agent || !hosts.loadFromHosts()) {
            return super.call();
        }
        LoadConfig config = config();
        checkOutputFolders();
        return fromHosts(config);
    }

    private int fromHosts(LoadConfig config) throws Exception {
        if (hgrm != null) {
            throw new ParameterException(spec.commandLine(), "--hgrm is for one generator; from several hosts, --hlog keeps every "
                    + "second of every host, merged and each its own");
        }
        RemoteLoad.Hosts from = hosts.loadHosts(checkout.root());
        System.err.printf("load: %s loop against %s:%d from %s (%s), %d connections x %d B in all, warm-up %s, measuring %s ...%n",
                config.openLoop() ? "open" : "closed", host, port, RemoteLoad.hosts(from.names().size()), String.join(", ", from.names()),
                connections, size, Durations.format(warmup), Durations.format(duration));
        RemoteLoad.Outcome outcome;
        try {
            outcome = RemoteLoad.run(config, RemoteLoad.prepare(from));
        } catch (RemoteLoad.Unusable e) {
            e.getMessage().lines().forEach(l -> System.err.println("load: " + l));
            return 2;
        }
        RemoteLoad.Report r = outcome.report();
        for (RemoteLoad.Share s : r.hosts()) {
            System.out.println(s.report() == null
                    ? String.format("host %-12s %5d connections: MISSING: %s", s.host(), s.connections(), s.problem())
                    : String.format("host %-12s %5d connections: %,.0f msg/s, p99 %.0f us, clock %+.2f ms (±%.2f), ready after %.1f s",
                            s.host(), s.connections(), s.report().messagesPerSecond(), s.report().latencyMicros().p99(),
                            s.clockOffsetMillis(), s.clockUncertaintyMillis(), s.readySeconds()));
        }
        if (r.merged() != null) {
            System.out.println((r.partial() ? "merged, PARTIAL: " : "merged: ") + r.merged().text().stripTrailing());
        }
        r.warnings().forEach(w -> System.out.println("warning: " + w));
        if (json != null) {
            RunOutput.write(json, true, "--json", into -> Json.PRETTY.writeValue(into.toFile(), r));
        }
        if (hlog != null && outcome.hlog() != null) {
            RunOutput.write(hlog, true, "--hlog", into -> Files.writeString(into, outcome.hlog(), StandardCharsets.UTF_8));
        }
        return outcome.exitStatus();
    }
}
