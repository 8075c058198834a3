package echolab.bench.results;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One load shape, measured on every server: a closed-loop point of the sweep, the open loop at the
 * run's fixed rate, idle connections held (scale), the generator's own capacity, a step of the connection
 * ladder, or the search for the rate under a latency target. Its trials are the measurements, one per
 * server and round (for the search, one per rate tried).
 */
public record Scenario(String id, Kind kind, int connections, int size, Double rate, List<Trial> trials) {

    /** The reference point of the side-by-side tables: 100 connections of 64-byte messages, closed loop. */
    public static final int REFERENCE_CONNECTIONS = 100;
    public static final int REFERENCE_SIZE = 64;

    /** Messages in flight per connection, sent in one write, in the {@link Kind#PIPELINED} scenario. */
    public static final int PIPELINED_MESSAGES = 10;

    public enum Kind {
        @JsonProperty("closed") CLOSED,
        @JsonProperty("open") OPEN,
        @JsonProperty("scale") SCALE,
        @JsonProperty("capacity") CAPACITY,
        /** A step of the connection ladder ({@code ./echolab scale}): this many connections held by each server. */
        @JsonProperty("ladder") LADDER,
        /** The search for the highest rate under a latency target ({@code ./echolab capacity}). */
        @JsonProperty("target") TARGET,
        /**
         * The reference point once more, with the kernel counting the server's system calls; counting slows
         * every call, so only the counts of this trial are read, never its time or CPU.
         */
        @JsonProperty("syscalls") SYSCALLS,
        /**
         * The reference point in rounds with each server held to a share of a CPU ({@link BenchRun.Settings#heldTo}),
         * so that it saturates before the load generator does; the main table reads these.
         */
        @JsonProperty("held") HELD,
        /**
         * The reference point with {@link #PIPELINED_MESSAGES} messages in flight per connection, written together: run
         * when a line server is in the run, so that each sits beside its stream twin with framing exercised (many
         * messages to find in one read).
         */
        @JsonProperty("pipelined") PIPELINED;

        public String label() {
            return name().toLowerCase();
        }
    }

    public static String id(Kind kind, int connections, int size) {
        return kind.label() + "-c" + connections + "-s" + size;
    }

    public boolean isReference() {
        return kind == Kind.CLOSED && connections == REFERENCE_CONNECTIONS && size == REFERENCE_SIZE;
    }
}
