package echolab.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import echolab.common.Framing;

import org.HdrHistogram.Histogram;

/**
 * The generator's hold mode, for the connection ladder ({@code ./echolab load --agent --hold}): connections held
 * open, each sending a message now and then, driven over the agent protocol ({@link Agent}). A descriptor limit
 * is per process, so a ladder spreads its connections over several of these: on this machine each from a
 * loopback source address of its own ({@code --source}), or on other hosts over ssh.
 * <ul>
 * <li>{@code open N}: opens N more connections; answered with {@link Agent.Opened};</li>
 * <li>{@code active PERIOD_MS DURATION_MS}: every held connection sends a message each period, their starts
 *     spread evenly over it, for the duration; at most one in flight per connection, latency counted from the
 *     planned send; when the duration holds two periods or more, the first is a warm-up whose latencies are not
 *     recorded. Answered with {@link Agent.Active};</li>
 * <li>{@code close}, or the end of stdin: closes every connection and ends.</li>
 * </ul>
 * Every echoed byte is checked against what was sent (the generator's {@link StreamVerifier}), and nothing is
 * allocated per message: each connection is the generator's {@link Connection}, and a message's planned send
 * follows from its place in the schedule.
 */
public final class Hold {

    /** How long one connection may take to connect. */
    public static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** After the active duration, how long answers are still awaited before the rest count as unanswered. */
    public static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int CONNECTING_AT_ONCE = 500;

    /** One held connection: the generator's connection and where it stands in the current active phase. */
    private static final class Held {
        final Connection connection;
        long firstDue;                    // the planned send of its first message in the phase
        long base;                        // its messages started before the phase: answers to them are not the phase's
        long planned;                     // messages planned for it in the phase so far
        long connectStarted;

        Held(Connection connection) {
            this.connection = connection;
        }
    }

    private final InetSocketAddress server;
    private final InetSocketAddress source;
    private final int size;
    private final Selector selector;
    private final StreamVerifier stream;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final List<Held> held = new ArrayList<>();
    private int nextId;
    private int closedByServer;
    private long corrupt;
    private Histogram histogram;                  // the active phase's latencies; null between phases
    private long measureFrom;                     // messages planned before this are the warm-up: answered, not recorded
    private long periodNanos;
    private long answeredMessages;

    private Hold(InetSocketAddress server, InetSocketAddress source, int size, Optional<Framing.Terminator> terminator)
            throws IOException {
        this.server = server;
        this.source = source;
        this.size = size;
        this.stream = new StreamVerifier(StreamVerifier.Pattern.of(size, terminator));
        this.selector = Selector.open();
    }

    /**
     * Holds connections to {@code server} of {@code size}-byte messages (for a line server, each ending with
     * {@code terminator}), from {@code source} (null: the address the kernel picks), as stdin commands; the exit status.
     */
    static int serve(InetSocketAddress server, InetSocketAddress source, int size, Optional<Framing.Terminator> terminator)
            throws IOException {
        Hold hold = new Hold(server, source, size, terminator);
        LinkedBlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("hold-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line.strip());
                    hold.selector.wakeup();
                }
            } catch (IOException ignored) {
                // the tool went away: the same as the end of its commands
            }
            commands.add("close");
            hold.selector.wakeup();
        });
        PrintStream out = System.out;
        while (true) {
            String command = commands.poll();
            if (command == null) {
                hold.selector.select(hold::ready, 200);          // between commands: notices what the server closes
                continue;
            }
            String[] words = command.split(" ");
            Object reply;
            try {
                reply = switch (words[0]) {
                    case "open" -> hold.open(Integer.parseInt(words[1]));
                    case "active" -> hold.active(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[1])),
                            TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[2])));
                    case "close" -> null;
                    default -> throw new IllegalArgumentException("unknown command: " + command);
                };
            } catch (RuntimeException e) {
                System.err.println("load: hold: " + command + ": " + e.getMessage());
                hold.closeAll();
                return 2;
            }
            if (reply == null) {
                hold.closeAll();
                return 0;
            }
            Agent.line(out, reply);
        }
    }

    private Agent.Opened open(int count) throws IOException {
        long start = System.nanoTime();
        long deadline = start + CONNECT_TIMEOUT_NANOS + TimeUnit.MILLISECONDS.toNanos(count);   // 1 ms a connection, on top
        int opened = 0;
        int failed = 0;
        String firstError = null;
        int started = 0;
        List<Held> connecting = new ArrayList<>();
        while ((started < count || !connecting.isEmpty()) && System.nanoTime() < deadline) {
            while (started < count && connecting.size() < CONNECTING_AT_ONCE) {
                started++;
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (source != null) {
                        channel.bind(source);
                    }
                    Connection c = new Connection(nextId++, 0, size, 1, stream);
                    Held h = new Held(c);
                    c.channel = channel;
                    c.key = channel.register(selector, SelectionKey.OP_CONNECT, h);
                    h.connectStarted = System.nanoTime();
                    channel.connect(server);
                    connecting.add(h);
                } catch (IOException e) {
                    channel.close();
                    failed++;
                    firstError = firstError == null ? "connect: " + e.getMessage() : firstError;
                }
            }
            long now = System.nanoTime();
            for (int i = connecting.size() - 1; i >= 0; i--) {
                Held h = connecting.get(i);
                Connection c = h.connection;
                try {
                    if (c.channel.finishConnect()) {
                        c.key.interestOps(SelectionKey.OP_READ);
                        c.open = true;
                        c.connected = true;
                        held.add(h);
                        opened++;
                    } else if (now - h.connectStarted < CONNECT_TIMEOUT_NANOS) {
                        continue;
                    } else {
                        throw new IOException("connect timed out after " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NANOS) + " s");
                    }
                } catch (IOException e) {
                    c.close();
                    failed++;
                    firstError = firstError == null ? "connect: " + e.getMessage() : firstError;
                }
                connecting.remove(i);
            }
            if (!connecting.isEmpty()) {
                selector.select(this::ready, 5);
            }
        }
        for (Held h : connecting) {
            h.connection.close();
            failed++;
            firstError = firstError == null ? "connect: timed out" : firstError;
        }
        if (started < count) {
            failed += count - started;
            firstError = firstError == null ? "the step's time ran out before every connection was tried" : firstError;
        }
        return new Agent.Opened(Agent.OPENED, opened, failed, firstError, (System.nanoTime() - start) / 1e9, openCount(),
                closedByServer);
    }

    private int openCount() {
        int n = 0;
        for (Held h : held) {
            n += h.connection.open ? 1 : 0;
        }
        return n;
    }

    private Agent.Active active(long period, long durationNanos) throws IOException {
        List<Held> live = held.stream().filter(h -> h.connection.open).toList();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        if (live.isEmpty()) {
            return new Agent.Active(Agent.ACTIVE, 0, 0, 0, 0, 0, 0, 0, 0, Agent.encode(latency));
        }
        answeredMessages = 0;
        long corruptBefore = corrupt;
        int closedBefore = closedByServer;
        periodNanos = period;
        double interval = period / (double) live.size();
        long start = System.nanoTime() + 10_000_000L;
        long end = start + durationNanos;
        measureFrom = durationNanos >= 2 * period ? start + period : start;
        for (int i = 0; i < live.size(); i++) {
            Held h = live.get(i);
            h.firstDue = start + (long) (i * interval);
            h.base = h.connection.messagesStarted;
            h.planned = 0;
            h.connection.answeredInWindow = 0;
        }
        histogram = latency;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long spinNanos = 0;
        long sent = 0;
        long g = 0;
        long now = System.nanoTime();
        while (now < end || (pending(live) && now < end + DRAIN_NANOS)) {
            long due = start + (long) (g * interval);
            while (due <= now && due < end) {
                Held h = live.get((int) (g % live.size()));
                if (h.connection.open) {
                    h.planned++;
                    sent++;
                    sendIfFree(h, now);
                }
                g++;
                due = start + (long) (g * interval);
            }
            long wait = (due < end ? due : end + DRAIN_NANOS) - now;
            if (wait >= 1_000_000) {
                selector.select(this::ready, wait / 1_000_000);
            } else if (selector.selectNow(this::ready) == 0) {
                // Spinning until a message is due: let the other holds on this core go first, and count it as idle.
                Thread.yield();
                spinNanos += System.nanoTime() - now;
            }
            now = System.nanoTime();
        }
        long unanswered = 0;
        int answering = 0;
        int silent = 0;
        for (Held h : live) {
            for (long k = answeredInPhase(h); k < h.planned; k++) {
                latency.recordValue(Math.min(Math.max(0, now - plannedAt(h, k)), latency.getHighestTrackableValue()));
                unanswered++;
            }
            if (h.connection.answeredInWindow > 0) {
                answering++;
            } else {
                silent++;
            }
        }
        histogram = null;
        double busy = (threads.getCurrentThreadCpuTime() - cpuStart - spinNanos) / (double) Math.max(1, now - start);
        return new Agent.Active(Agent.ACTIVE, sent, answeredMessages, unanswered, answering, silent, corrupt - corruptBefore,
                closedByServer - closedBefore, busy, Agent.encode(latency));
    }

    /** The phase's messages of {@code h} answered so far. */
    private static long answeredInPhase(Held h) {
        return Math.max(0, h.connection.messagesDone - h.base);
    }

    /** When the {@code k}-th message of the phase was due on {@code h}. */
    private long plannedAt(Held h, long k) {
        return h.firstDue + k * periodNanos;
    }

    private static boolean pending(List<Held> live) {
        for (Held h : live) {
            if (h.connection.open && answeredInPhase(h) < h.planned) {
                return true;
            }
        }
        return false;
    }

    /** Starts the connection's next planned message unless one is in flight. */
    private void sendIfFree(Held h, long now) {
        Connection c = h.connection;
        if (c.inFlight() == 0 && c.messagesStarted - h.base < h.planned) {
            c.start(now);
            try {
                c.flush(stream);
            } catch (IOException e) {
                lost(h);
            }
        }
    }

    /** A ready key: a read (an echo, or the server closing), or room to write the rest of a message. */
    private void ready(SelectionKey key) {
        Held h = (Held) key.attachment();
        Connection c = h.connection;
        if (!key.isValid() || !c.open) {
            return;                                        // still connecting (open() finishes it), or gone
        }
        try {
            if (key.isWritable() && c.writing()) {
                c.flush(stream);
            }
            if (key.isValid() && key.isReadable()) {
                read(h);
            }
        } catch (IOException e) {
            lost(h);
        }
    }

    private void read(Held h) throws IOException {
        Connection c = h.connection;
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            lost(h);
            return;
        }
        readBuffer.flip();
        if (c.bytesReceived + n > c.bytesSent || stream.mismatch(readBuffer, c.streamStart, c.bytesReceived) != -1) {
            corrupt += n;                                   // more than was sent, or not what was sent
            c.close();
            return;
        }
        long now = System.nanoTime();
        c.bytesReceived += n;
        long done = c.bytesReceived / size;
        for (long m = c.messagesDone; m < done; m++) {
            if (histogram != null && m >= h.base) {
                long planned = plannedAt(h, m - h.base);
                if (planned >= measureFrom) {
                    histogram.recordValue(Math.min(Math.max(0, now - planned), histogram.getHighestTrackableValue()));
                }
                answeredMessages++;
                c.answeredInWindow++;
            }
        }
        c.messagesDone = done;
        if (histogram != null) {
            sendIfFree(h, now);
        }
    }

    private void lost(Held h) {
        if (h.connection.open) {
            closedByServer++;
        }
        h.connection.close();
    }

    private void closeAll() {
        for (Held h : held) {
            h.connection.close();
        }
    }
}
