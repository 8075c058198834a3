package echolab.bench.scale;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import echolab.bench.harness.Launcher;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.Ssh;
import echolab.bench.load.Agent;
import echolab.bench.load.Hold;
import echolab.bench.load.LoadMain;
import echolab.bench.remote.RemoteLoad;
import echolab.bench.remote.Session;
import echolab.common.Framing;

/**
 * The ladder's clients: as many of the generator's hold agents ({@code ./echolab load --agent --hold},
 * {@link Hold}) as its connections need, at most {@value #PER_HOLDER} each, well inside any process's descriptor
 * limit. On this machine they are pinned with the load generator and each connects from a loopback source
 * address of its own; with load hosts, they run on those hosts over ssh, in turn. A command goes to all of them at
 * once and their answers are added up. Closing ends them, and each ends by itself if this tool dies.
 */
final class Holders implements AutoCloseable {

    static final int PER_HOLDER = 8_000;

    /** Where the agents run. */
    sealed interface Place {
        /** On this machine, pinned as the generator; {@code addressGroup} (1-250) picks source addresses 127.0.GROUP.2 on. */
        record Here(Pinning pinning, int addressGroup) implements Place {
        }

        /** On the load hosts, over ssh, each agent ended after {@code limit} however its session goes. */
        record Hosts(RemoteLoad.Hosts hosts, Duration limit) implements Place {
        }
    }

    /** One agent: its session, where it runs, and how many connections it held at its last answer. */
    private static final class Holder {
        final Session session;
        final String where;
        int held;

        Holder(Session session, String where) {
            this.session = session;
            this.where = where;
        }
    }

    private final Place place;
    private final String serverHost;
    private final int port;
    private final Optional<Framing.Terminator> terminator;
    private final List<Holder> holders = new ArrayList<>();

    /** Holders for the server at {@code serverHost}:{@code port}, their messages ending with a line server's {@code terminator}. */
    Holders(Place place, String serverHost, int port, Optional<Framing.Terminator> terminator) {
        this.place = place;
        this.serverHost = serverHost;
        this.port = port;
        this.terminator = terminator;
    }

    /** Connections open now, as the agents last counted them. */
    int held() {
        return holders.stream().mapToInt(h -> h.held).sum();
    }

    /**
     * Opens {@code more} connections, shared evenly over the agents, starting new ones as needed: one on each load
     * host at least, and as many as keep each within {@value #PER_HOLDER}.
     */
    Agent.Opened open(int more) throws IOException, InterruptedException {
        int least = place instanceof Place.Hosts there ? there.hosts().names().size() : 1;
        int needed = Math.max(least, (held() + more + PER_HOLDER - 1) / PER_HOLDER);
        while (holders.size() < needed) {
            holders.add(start(holders.size()));
        }
        int[] share = new int[holders.size()];
        int left = more;
        for (int i = 0; i < holders.size(); i++) {
            share[i] = Math.min(PER_HOLDER - holders.get(i).held, (left + holders.size() - i - 1) / (holders.size() - i));
            left -= share[i];
        }
        for (int i = 0; i < holders.size() && left > 0; i++) {       // what a full agent could not take, to the others
            int extra = Math.min(left, PER_HOLDER - holders.get(i).held - share[i]);
            share[i] += extra;
            left -= extra;
        }
        List<Holder> asked = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            if (share[i] > 0) {
                holders.get(i).session.send("open " + share[i]);
                asked.add(holders.get(i));
            }
        }
        Duration wait = Duration.ofNanos(Hold.CONNECT_TIMEOUT_NANOS).plusMillis(more).plusSeconds(15);
        int opened = 0;
        int failed = 0;
        int closed = 0;
        double seconds = 0;
        String firstError = null;
        for (Holder h : asked) {
            Agent.Opened o = reply(h, Agent.OPENED, wait, Agent.Opened.class);
            h.held = o.held();
            opened += o.opened();
            failed += o.failed();
            seconds = Math.max(seconds, o.seconds());
            firstError = firstError == null ? o.firstError() : firstError;
            closed += o.closedByServer();
        }
        return new Agent.Opened(Agent.OPENED, opened, failed, firstError, seconds, held(), closed);
    }

    /** Every held connection active for {@code duration}, one message each {@code period}; the agents' answers added up. */
    Agent.Active active(Duration period, Duration duration) throws IOException, InterruptedException {
        for (Holder h : holders) {
            h.session.send("active " + period.toMillis() + " " + duration.toMillis());
        }
        Duration wait = duration.plusNanos(Hold.DRAIN_NANOS).plusSeconds(15);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long sent = 0;
        long answered = 0;
        long unanswered = 0;
        long corrupt = 0;
        int answering = 0;
        int silent = 0;
        int closed = 0;
        double busy = 0;
        for (Holder h : holders) {
            Agent.Active a = reply(h, Agent.ACTIVE, wait, Agent.Active.class);
            latency.add(a.latency());
            sent += a.sent();
            answered += a.answered();
            unanswered += a.unanswered();
            corrupt += a.corrupt();
            answering += a.answeringConnections();
            silent += a.silentConnections();
            closed += a.closedByServer();
            busy = Math.max(busy, a.busy());
        }
        return new Agent.Active(Agent.ACTIVE, sent, answered, unanswered, answering, silent, corrupt, closed, busy,
                Agent.encode(latency));
    }

    private Holder start(int index) throws IOException {
        List<String> hold = new ArrayList<>(List.of("--agent", "--hold", "--host", serverHost, "--port", String.valueOf(port)));
        terminator.ifPresent(t -> hold.addAll(t.arguments()));
        switch (place) {
            case Place.Here here -> {
                List<String> command = new ArrayList<>(List.of(Launcher.currentJava(), "-Xmx512m", "-XX:+UseSerialGC", "-Xss512k",
                        "-cp", System.getProperty("java.class.path"), LoadMain.class.getName()));
                command.addAll(hold);
                if (serverHost.startsWith("127.")) {
                    command.addAll(List.of("--source", "127.0." + here.addressGroup() + "." + (2 + index)));
                }
                return new Holder(Session.start(here.pinning().generator(command), "holder-" + index), "holder " + (index + 1));
            }
            case Place.Hosts there -> {
                String host = there.hosts().names().get(index % there.hosts().names().size());
                List<String> args = new ArrayList<>(List.of("./echolab", "load"));
                args.addAll(hold);
                String remote = "cd " + Ssh.quoted(there.hosts().remoteDir()) + " && exec timeout -k 5 " + there.limit().toSeconds()
                        + " " + String.join(" ", args.stream().map(Ssh::quoted).toList());
                return new Holder(Session.start(there.hosts().ssh().command(host, remote), "holder-" + host + "-" + index),
                        "holder " + (index + 1) + " on " + host);
            }
        }
    }

    private static <T> T reply(Holder h, String kind, Duration wait, Class<T> type) throws IOException, InterruptedException {
        JsonNode message = h.session.message(kind, System.nanoTime() + wait.toNanos());
        if (message == null) {
            String why = h.session.process().isAlive() ? "did not answer within " + wait.toSeconds() + " s" : "exited";
            throw new IOException("a client " + h.where + " " + why + "; its stderr: " + h.session.stderr().strip());
        }
        return Agent.JSON.treeToValue(message, type);
    }

    @Override
    public void close() throws InterruptedException {
        for (Holder h : holders) {
            try {
                h.session.send("close");
                h.session.process().getOutputStream().close();
            } catch (IOException ignored) {
                // it is gone already
            }
        }
        for (Holder h : holders) {
            h.session.process().waitFor(10, TimeUnit.SECONDS);
            h.session.close();                               // kills it if it is still there
        }
        holders.clear();
    }
}
