package echolab.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

/**
 * The agent protocol: the generator run as another tool's agent ({@code ./echolab load --agent}, started by the
 * harness on this machine or over ssh on another host). The tool writes commands to its stdin, one a line; the
 * agent answers with JSON lines on stdout, each naming its kind in {@code echoLab}; the end of stdin means its
 * tool is gone, and the agent ends at once.
 * <ul>
 * <li>One host's share of a load from several hosts ({@link #run}): once every connection is ramped up,
 *     {@link Ready}; it reads the agreed start ({@code start EPOCH_MILLIS}, on this host's clock); at the end,
 *     {@link Result} with the report and the interval log's text.</li>
 * <li>Connections held for the connection ladder ({@code --hold}, {@link Hold}): {@link Opened} for each
 *     {@code open N}, {@link Active} for each {@code active PERIOD_MS DURATION_MS}.</li>
 * </ul>
 */
public final class Agent {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String READY = "agent-ready";
    public static final String RESULT = "agent-result";
    public static final String OPENED = "agent-opened";
    public static final String ACTIVE = "agent-active";

    /** Every connection has been ramped up; the agent waits for its start. */
    public record Ready(String echoLab, long connectionsOpened) {
    }

    /** What this host measured: its report and its interval log (HdrHistogram's log format, as text). */
    public record Result(String echoLab, LoadReport report, String hlog) {
    }

    /**
     * What {@code open N} did; {@code held} counts every connection open now, {@code closedByServer} those the server
     * closed since the agent started.
     */
    public record Opened(String echoLab, int opened, int failed, String firstError, double seconds, int held, int closedByServer) {
    }

    /**
     * What {@code active} saw: messages sent and answered, those still unanswered after a drain of 2 s, connections that
     * answered at least once and those that answered nothing, bytes that differed from what was sent, connections the
     * server closed, how busy the agent's thread was (waiting for the next message due not counted: over 0.9, the
     * agent is the limit, not the server), and the latency histogram (nanoseconds, HdrHistogram's compressed encoding
     * in Base64, as in its log format).
     */
    public record Active(String echoLab, long sent, long answered, long unanswered, int answeringConnections, int silentConnections,
                         long corrupt, int closedByServer, double busy, String histogram) {

        public Histogram latency() {
            try {
                return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
            } catch (DataFormatException e) {
                throw new IllegalStateException("an agent sent a histogram that does not decode", e);
            }
        }
    }

    private Agent() {
    }

    /** {@code h} as {@link Active#histogram} carries it. */
    public static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** Runs {@code config} as one host's share, tagging its interval log with {@code group}; the exit status. */
    public static int run(LoadConfig config, String group) throws IOException, InterruptedException {
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        LoadGenerator.Start start = opened -> {
            line(out, new Ready(READY, opened));
            String command = in.readLine();
            if (command == null || !command.startsWith("start ")) {
                Runtime.getRuntime().halt(3);          // the tool went away before the start
            }
            watchForEndOfInput(in);
            return Instant.ofEpochMilli(Long.parseLong(command.substring("start ".length()).strip()));
        };
        IntervalLog log = new IntervalLog(group, config.openLoop());   // sent as text: an agent leaves no file
        LoadResult result = LoadGenerator.run(config, new LoadGenerator.Options(log, start));
        line(out, new Result(RESULT, result.report(), log.text()));
        return result.ok() ? 0 : 1;
    }

    /** Once started, stdin says nothing more; its end means the session, and the tool, are gone. */
    private static void watchForEndOfInput(BufferedReader in) {
        Thread.ofPlatform().daemon().name("agent-stdin").start(() -> {
            try {
                while (in.readLine() != null) {
                    // nothing more is sent; reading only waits for the end
                }
            } catch (IOException ignored) {
                // the same as the end
            }
            System.err.println("load: the session that started this generator has ended; stopping");
            Runtime.getRuntime().halt(3);
        });
    }

    /** One message, as one line. */
    static void line(PrintStream out, Object message) throws IOException {
        synchronized (out) {
            out.println(JSON.writeValueAsString(message));
            out.flush();
        }
    }
}
