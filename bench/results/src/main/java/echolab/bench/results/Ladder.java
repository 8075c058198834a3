package echolab.bench.results;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The connection ladder's part of a run ({@code ./echolab scale}): what it asked for, the limits it read
 * from the machine, and per server the highest step it held, what stopped it, what each connection cost
 * (a fit over the steps) and, on paper, where those costs would stop it on larger machines. Each step's
 * figures are trials of the scenarios {@code ladder-cN-s64}.
 */
public record Ladder(Settings settings, Limits limits, List<ServerLadder> servers) {

    /**
     * @param steps the connection counts asked for, in order
     * @param toLimit after the last step, go on doubling up to the server's descriptor limit
     * @param activePeriodSeconds with every connection active, each sends one message per this period
     * @param activeSeconds how long every connection is active at each step
     * @param memoryReserveMiB a step is not started when it would leave the machine less available memory than this
     * @param serverSeconds the time one server may take; a step that would start later is not started
     * @param serverNofile the descriptor limit the servers were started under (soft = hard)
     */
    public record Settings(List<Integer> steps, boolean toLimit, double activePeriodSeconds, double activeSeconds,
                           long memoryReserveMiB, double serverSeconds, long serverNofile) {
    }

    /**
     * The limits that can stop a server here, as read from the machine when the run started. {@code nofileSoft}
     * and {@code nofileHard} are the descriptor limit the servers got; {@code portLow}-{@code portHigh} the
     * ephemeral ports a client gets per source address.
     */
    public record Limits(long nofileSoft, long nofileHard, long nrOpen, long pidMax, long threadsMax, long maxMapCount,
                         long memTotalKiB, long memAvailableKiB, int portLow, int portHigh, int somaxconn) {
    }

    /** What stopped a server, as results.json names it. */
    public enum Limit {
        @JsonProperty("none") NONE("none: held every step"),
        @JsonProperty("descriptors") DESCRIPTORS("descriptors"),
        @JsonProperty("threads") THREADS("threads"),
        /** select() watches descriptors 0 to FD_SETSIZE - 1 (1,024) only: a server polling with it can take no more. */
        @JsonProperty("fd-setsize") FD_SETSIZE("select()'s FD_SETSIZE"),
        /** vm.max_map_count: each platform thread's stack is a mapping and its guard page another. */
        @JsonProperty("mappings") MAPPINGS("memory mappings"),
        @JsonProperty("heap") HEAP("Java heap"),
        @JsonProperty("memory") MEMORY("memory"),
        @JsonProperty("ports") PORTS("client ports"),
        @JsonProperty("one-at-a-time") ONE_AT_A_TIME("one connection at a time (its model)"),
        @JsonProperty("not-accepted") NOT_ACCEPTED("stopped accepting"),
        @JsonProperty("not-answered") NOT_ANSWERED("stopped answering"),
        @JsonProperty("corrupt") CORRUPT("echoed wrong bytes"),
        @JsonProperty("crashed") CRASHED("the server exited"),
        @JsonProperty("time") TIME("time budget"),
        /** Not the server: the ladder could not go on (a client holder failed, the server would not start). */
        @JsonProperty("ladder-failed") LADDER_FAILED("the ladder itself failed");

        public final String label;

        Limit(String label) {
            this.label = label;
        }
    }

    /**
     * Why a server stopped climbing, in words with the limit's value as read from the machine, and the
     * command that would lift it where it can be lifted (null when nothing would: a model, a fault).
     *
     * @param atStep the step it did not hold, or did not start
     */
    public record Stop(Limit limit, int atStep, String why, String lift) {
    }

    /** A cost per connection: the slope of a least-squares line over the steps held (and the start), with its standard error. */
    public record Fit(double perConnection, Double standardError, int points) {
    }

    /**
     * What each connection cost the server: RSS, live Java heap (after a full collection; null for a native
     * server), threads, memory mappings, and kernel slab memory (the machine's, both ends of each
     * connection, so half of it is the server's).
     */
    public record Costs(Fit rssKiB, Fit heapKiB, Fit threads, Fit maps, Fit kernelSlabKiB) {
    }

    /**
     * A ceiling on paper: from the measured costs, the connections the server would hold on {@code machine}
     * before the first of its limits binds ({@code binding}), with the range the costs' errors allow (two
     * standard errors); {@code how} gives every limit's ceiling and its arithmetic, lowest first. A projection,
     * never a measurement.
     */
    public record Projection(String machine, long connections, long low, long high, Limit binding, String how) {
    }

    /**
     * @param highestStepHeld the highest step at which every connection was opened, accepted and answered (0: none)
     * @param mostHeld the most connections the server held at once, from its descriptors
     */
    public record ServerLadder(String server, int highestStepHeld, int mostHeld, Stop stop, Costs costs, List<Projection> projections) {
    }

    /** This server's part, if it was on the ladder. */
    public java.util.Optional<ServerLadder> of(String server) {
        return servers.stream().filter(s -> s.server().equals(server)).findFirst();
    }
}
