package echolab.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * One host's share of a load from several hosts, as its generator runs it there ({@code ./echolab load
 * --agent}, started over ssh by the bench's RemoteLoad). It speaks one JSON line at a time on stdout: once every
 * connection is ramped up, {@link Ready}; at the end, {@link Result} with the report and the interval log's
 * text. It reads the agreed start from stdin ({@code start EPOCH_MILLIS}, on this host's clock), and ends at
 * once when stdin closes: the ssh session that started it is gone, so its tool is.
 */
public final class Agent {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String READY = "agent-ready";
    public static final String RESULT = "agent-result";

    /** Every connection has been ramped up; the agent waits for its start. */
    public record Ready(String echoLab, long connectionsOpened) {
    }

    /** What this host measured: its report and its interval log (HdrHistogram's log format, as text). */
    public record Result(String echoLab, LoadReport report, String hlog) {
    }

    private Agent() {
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

    private static void line(PrintStream out, Object message) throws IOException {
        synchronized (out) {
            out.println(JSON.writeValueAsString(message));
            out.flush();
        }
    }
}
