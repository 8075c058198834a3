package echolab.bench.exercise;

import java.util.Arrays;
import java.util.Optional;

import echolab.common.Framing;
import echolab.contract.FramingChecks;

/** What {@code exercise run} measures, on the broken server and on the real one side by side, to show a mistake. */
public enum Symptom {
    IDLE_CPU("idle-cpu", "server CPU while ten connections sit idle"),
    HALF_CLOSE("half-close", "a client that sends and half-closes: is everything echoed, is the connection closed, what CPU"),
    BYTES_WRONG("bytes-wrong", "the load generator's byte check over many busy connections"),
    SLOW_READER("slow-reader", "bytes echoed to a client that reads slowly"),
    NEVER_READING("never-reading", "what the server takes from a client that writes and never reads, and its memory"),
    DESCRIPTORS("descriptors", "the server's open descriptors after a hundred connections reset mid-stream"),
    SERVED_COUNT("served-count", "the stop summary's count of connections served while clients are still connected"),
    THREADS("threads", "the operating-system threads the server starts for 200 connections it holds"),
    LARGE_MESSAGES("large-messages", "the round trip of a 16 KiB message, longer than the server's buffer, beside a 64 B one"),
    SPLIT_TERMINATOR("split-terminator", "lines ending in \\r\\n, each sent in two writes split inside its terminator: how many "
            + "come back, and how long each takes", FramingChecks.CRLF),
    MANY_LINES("many-lines", "a client that sends a hundred lines in one write: how many come back within a second"),
    NO_TERMINATOR("no-terminator", "a client that sends 32 MiB with no \\n, reading all the while: what comes back, and the "
            + "server's memory"),
    LINE_LATENCY("line-latency", "the round trip of a 64 B line beside a line of its terminator alone");

    final String key;
    final String description;
    private final Optional<Framing> framing;

    Symptom(String key, String description) {
        this(key, description, null);
    }

    Symptom(String key, String description, Framing framing) {
        this.key = key;
        this.description = description;
        this.framing = Optional.ofNullable(framing);
    }

    /** The framing a line server is started with to show it, when not its own ({@code \n}). */
    public Optional<Framing> framing() {
        return framing;
    }

    static Symptom named(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no symptom '" + key + "'"));
    }

    public String description() {
        return description;
    }
}
