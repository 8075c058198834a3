package echolab.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import echolab.bench.load.StreamVerifier;
import echolab.bench.base.Json;
import echolab.bench.results.Scenario;
import echolab.common.Lifeline;

/**
 * A helper process of {@code ./echolab scale} that holds its share of the ladder's connections. A
 * descriptor limit is per process, so the ladder spreads its clients over several of these, each
 * connecting from its own loopback source address, and the clients are never what stops a server.
 * Commands come one per line on stdin, each answered by one JSON line on stdout:
 * <ul>
 * <li>{@code open N}: opens N more connections ({@link Opened});</li>
 * <li>{@code active PERIOD_MS DURATION_MS}: every held connection sends a 64-byte message each period,
 *     their starts spread evenly over it, for the duration; at most one in flight per connection, latency
 *     counted from the planned send; when the duration holds two periods or more, the first is a warm-up
 *     whose latencies are not recorded ({@link Active});</li>
 * <li>{@code close}: closes every connection and exits.</li>
 * </ul>
 * Every echoed byte is checked against what was sent. It exits when stdin ends or its tool is gone.
 */
public final class Holder {

    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int CONNECTING_AT_ONCE = 500;
    private static final int SIZE = Scenario.REFERENCE_SIZE;

    /** What {@code open N} did; {@code held} counts every connection open now, {@code closedByServer} since the start. */
    public record Opened(int opened, int failed, String firstError, double seconds, int held, int closedByServer) {
    }

    /**
     * What {@code active} saw: messages sent and answered, those still unanswered after a drain of 2 s,
     * connections that answered at least once and those that answered nothing, bytes that differed from what
     * was sent, connections the server closed, how busy this holder's thread was, waiting for the next
     * message due not counted (a holder busier than 0.9 is the limit, not the server), and the latency histogram (nanoseconds, HdrHistogram's compressed
     * encoding in Base64, as in its log format).
     */
    public record Active(long sent, long answered, long unanswered, int answeringConnections, int silentConnections,
                         long corrupt, int closedByServer, double busy, String histogram) {

        public Histogram latency() {
            try {
                return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("a client holder sent a histogram that does not decode", e);
            }
        }
    }

    /** One held connection: its stream, the planned send times of its unanswered messages, what is still to write. */
    private static final class Held {
        final SocketChannel channel;
        final int streamStart;
        long bytesSent;
        long bytesReceived;
        int unwritten;
        boolean inFlight;
        int answered;
        final ArrayDeque<Long> planned = new ArrayDeque<>();

        Held(SocketChannel channel, int id) {
            this.channel = channel;
            this.streamStart = StreamVerifier.streamStart(id);
        }
    }

    private final InetSocketAddress server;
    private final InetSocketAddress source;
    private final Selector selector;
    private final StreamVerifier stream = new StreamVerifier(StreamVerifier.newPattern());
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final List<Held> held = new ArrayList<>();
    private final Map<SelectionKey, Long> keyStarted = new HashMap<>();   // when each pending connect began
    private int nextId;
    private int closedByServer;
    private long corrupt;
    private Histogram histogram;
    private long measureFrom;                     // messages planned before this are the warm-up: answered, not recorded
    private long answeredMessages;

    private Holder(InetSocketAddress server, InetSocketAddress source) throws IOException {
        this.server = server;
        this.source = source;
        this.selector = Selector.open();
    }

    /** {@code Holder HOST PORT SOURCE_ADDRESS}. */
    public static void main(String[] args) throws Exception {
        Lifeline.watchIfAsked("ladder holder");
        Holder holder = new Holder(new InetSocketAddress(args[0], Integer.parseInt(args[1])), new InetSocketAddress(args[2], 0));
        LinkedBlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("holder-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line.strip());
                    holder.selector.wakeup();
                }
            } catch (IOException ignored) {
                // the tool went away: treated as the end of its commands
            }
            commands.add("close");
            holder.selector.wakeup();
        });
        while (true) {
            String command = commands.poll();
            if (command == null) {
                holder.idle();
                continue;
            }
            String[] words = command.split(" ");
            Object reply = switch (words[0]) {
                case "open" -> holder.open(Integer.parseInt(words[1]));
                case "active" -> holder.active(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[1])),
                        TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[2])));
                case "close" -> null;
                default -> throw new IllegalArgumentException("unknown command: " + command);
            };
            if (reply == null) {
                holder.closeAll();
                System.exit(0);
            }
            System.out.println(Json.MAPPER.writeValueAsString(reply));
            System.out.flush();
        }
    }

    /** Between commands: notices connections the server closes (or data it sends unasked). */
    private void idle() throws IOException {
        selector.select(this::ready, 200);
    }

    private Opened open(int count) throws IOException {
        long start = System.nanoTime();
        long deadline = start + CONNECT_TIMEOUT_NANOS + TimeUnit.MILLISECONDS.toNanos(count);   // 1 ms a connection, on top
        int opened = 0;
        int failed = 0;
        String firstError = null;
        int started = 0;
        List<SelectionKey> connecting = new ArrayList<>();
        while ((started < count || !connecting.isEmpty()) && System.nanoTime() < deadline) {
            while (started < count && connecting.size() < CONNECTING_AT_ONCE) {
                started++;
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.bind(source);
                    Held h = new Held(channel, nextId++);
                    SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, h);
                    channel.connect(server);
                    connecting.add(key);
                    keyStarted.put(key, System.nanoTime());
                } catch (IOException e) {
                    channel.close();
                    failed++;
                    firstError = firstError == null ? "connect: " + e.getMessage() : firstError;
                }
            }
            long now = System.nanoTime();
            for (int i = connecting.size() - 1; i >= 0; i--) {
                SelectionKey key = connecting.get(i);
                Held h = (Held) key.attachment();
                try {
                    if (h.channel.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                        held.add(h);
                        opened++;
                    } else if (now - keyStarted.get(key) < CONNECT_TIMEOUT_NANOS) {
                        continue;
                    } else {
                        throw new IOException("connect timed out after " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NANOS) + " s");
                    }
                } catch (IOException e) {
                    h.channel.close();
                    failed++;
                    firstError = firstError == null ? "connect: " + e.getMessage() : firstError;
                }
                keyStarted.remove(key);
                connecting.remove(i);
            }
            if (!connecting.isEmpty()) {
                selector.select(this::ready, 5);
            }
        }
        for (SelectionKey key : connecting) {
            ((Held) key.attachment()).channel.close();
            failed++;
            firstError = firstError == null ? "connect: timed out" : firstError;
        }
        if (started < count) {
            failed += count - started;
            firstError = firstError == null ? "the step's time ran out before every connection was tried" : firstError;
        }
        keyStarted.clear();
        return new Opened(opened, failed, firstError, (System.nanoTime() - start) / 1e9, openCount(), closedByServer);
    }

    private int openCount() {
        int n = 0;
        for (Held h : held) {
            n += h.channel.isOpen() ? 1 : 0;
        }
        return n;
    }

    private Active active(long periodNanos, long durationNanos) throws IOException {
        List<Held> live = held.stream().filter(h -> h.channel.isOpen()).toList();
        histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        answeredMessages = 0;
        long corruptBefore = corrupt;
        int closedBefore = closedByServer;
        live.forEach(h -> h.answered = 0);
        long sent = 0;
        if (live.isEmpty()) {
            return new Active(0, 0, 0, 0, 0, 0, 0, 0, encode(histogram));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long spinNanos = 0;
        double interval = periodNanos / (double) live.size();
        long start = System.nanoTime() + 10_000_000L;
        long end = start + durationNanos;
        measureFrom = durationNanos >= 2 * periodNanos ? start + periodNanos : start;
        long g = 0;
        long now = System.nanoTime();
        while (now < end || (pending(live) && now < end + DRAIN_NANOS)) {
            long due = start + (long) (g * interval);
            while (due <= now && due < end) {
                Held h = live.get((int) (g % live.size()));
                if (h.channel.isOpen()) {
                    h.planned.add(due);
                    sent++;
                    if (!h.inFlight) {
                        send(h);
                    }
                }
                g++;
                due = start + (long) (g * interval);
            }
            long wait = (due < end ? due : end + DRAIN_NANOS) - now;
            if (wait >= 1_000_000) {
                selector.select(this::ready, wait / 1_000_000);
            } else if (selector.selectNow(this::ready) == 0) {
                // Spinning until a message is due: let the other holders on this core go first, and count it as idle.
                Thread.yield();
                spinNanos += System.nanoTime() - now;
            }
            now = System.nanoTime();
        }
        long unanswered = 0;
        int answering = 0;
        int silent = 0;
        for (Held h : live) {
            for (Long planned : h.planned) {
                histogram.recordValue(Math.min(now - planned, histogram.getHighestTrackableValue()));
                unanswered++;
            }
            h.planned.clear();
            h.inFlight = false;
            if (h.answered > 0) {
                answering++;
            } else {
                silent++;
            }
        }
        double busy = (threads.getCurrentThreadCpuTime() - cpuStart - spinNanos) / (double) Math.max(1, now - start);
        return new Active(sent, answeredMessages, unanswered, answering, silent, corrupt - corruptBefore, closedByServer - closedBefore,
                busy, encode(histogram));
    }

    private static boolean pending(List<Held> live) {
        for (Held h : live) {
            if (!h.planned.isEmpty() && h.channel.isOpen()) {
                return true;
            }
        }
        return false;
    }

    private void send(Held h) throws IOException {
        h.inFlight = true;
        h.unwritten = SIZE;
        flush(h);
    }

    private void flush(Held h) throws IOException {
        try {
            int n = stream.write(h.channel, h.streamStart, h.bytesSent, h.unwritten);
            h.bytesSent += n;
            h.unwritten -= n;
            h.channel.keyFor(selector).interestOps(h.unwritten > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
            lost(h);
        }
    }

    /** A ready key: a read (an echo, or the server closing), or room to write the rest of a message. */
    private void ready(SelectionKey key) {
        Held h = (Held) key.attachment();
        if (!key.isValid() || (key.interestOps() & SelectionKey.OP_CONNECT) != 0) {
            return;                                        // still connecting: open() finishes it
        }
        try {
            if (key.isWritable() && h.unwritten > 0) {
                flush(h);
            }
            if (key.isValid() && key.isReadable()) {
                read(h);
            }
        } catch (IOException e) {
            lost(h);
        }
    }

    private void read(Held h) throws IOException {
        readBuffer.clear();
        int n = h.channel.read(readBuffer);
        if (n < 0) {
            lost(h);
            return;
        }
        readBuffer.flip();
        if (h.bytesReceived + n > h.bytesSent || stream.mismatch(readBuffer, h.streamStart, h.bytesReceived) != -1) {
            corrupt += n;                                   // more than was sent, or not what was sent
            h.channel.close();
            return;
        }
        long now = System.nanoTime();
        long before = h.bytesReceived / SIZE;
        h.bytesReceived += n;
        for (long m = before; m < h.bytesReceived / SIZE; m++) {
            Long planned = h.planned.poll();
            if (planned != null && histogram != null) {
                if (planned >= measureFrom) {
                    histogram.recordValue(Math.min(now - planned, histogram.getHighestTrackableValue()));
                }
                answeredMessages++;
                h.answered++;
            }
            h.inFlight = false;
        }
        if (!h.inFlight && !h.planned.isEmpty()) {
            send(h);
        }
    }

    private void lost(Held h) {
        if (h.channel.isOpen()) {
            closedByServer++;
        }
        try {
            h.channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void closeAll() {
        for (Held h : held) {
            try {
                h.channel.close();
            } catch (IOException ignored) {
                // closing on the way out
            }
        }
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }
}
