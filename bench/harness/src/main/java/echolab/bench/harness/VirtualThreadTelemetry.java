package echolab.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedEvent;

import echolab.common.ThreadsPerConnection;
import echolab.bench.harness.ServerCatalogue.Entry;
import echolab.bench.results.Trial;

/**
 * JDK Flight Recorder on a server that runs virtual threads: the JVM flags that start a recording with it
 * (only the virtual-thread events, and the scheduler's counts that echo-lab's servers add as an event), its
 * disk repository in a directory of its own, and the events of one window read back from that repository
 * with {@code jdk.jfr.consumer}. The JVM writes its repository about once a second, so reading a window
 * waits until the recording has passed the window's end. What a window holds is results.json's
 * {@link Trial.VirtualThreads}, which says what each count is.
 */
public final class VirtualThreadTelemetry implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String SUBMIT_FAILED = "jdk.VirtualThreadSubmitFailed";
    private static final String SCHEDULER = "echolab.VirtualThreadScheduler";
    private static final String FLUSH = "jdk.Flush";            // one per write to the repository: how far it has got

    private final Path repository;

    private VirtualThreadTelemetry(Path repository) {
        this.repository = repository;
    }

    /** Whether {@code server} gets a recording: the servers that run each connection on a virtual thread. */
    public static boolean recorded(Entry server) {
        return server instanceof ServerCatalogue.TeachingServer t && t.threads() == ThreadsPerConnection.ONE_VIRTUAL_THREAD;
    }

    /** A repository of its own for one server's recording. */
    public static VirtualThreadTelemetry create() throws IOException {
        return new VirtualThreadTelemetry(Files.createTempDirectory("echolab-jfr-"));
    }

    /** The JVM flags that start the recording with the server, writing to this repository. */
    public List<String> jvmFlags() {
        return jvmFlags(repository.toString());
    }

    /** The JVM flags that start the recording with a server, writing to {@code repository}. */
    public static List<String> jvmFlags(String repository) {
        // With settings=none, a setting applies only when marked '+' (as for an event the JVM does not know yet).
        return List.of("-XX:StartFlightRecording:settings=none,"
                        + "+" + PINNED + "#enabled=true,+" + PINNED + "#threshold=0 ms,+" + PINNED + "#stackTrace=false,"
                        + "+" + SUBMIT_FAILED + "#enabled=true,"
                        + "+" + SCHEDULER + "#enabled=true,+" + SCHEDULER + "#period=100 ms,"
                        + "+" + FLUSH + "#enabled=true",
                "-XX:FlightRecorderOptions:repository=" + repository);
    }

    /**
     * The recording's events between two instants, once the recording has passed {@code to}; null when the
     * server's repository cannot be read or has not passed {@code to} within 5 s (the server stopped or stalled).
     */
    public Trial.VirtualThreads over(Instant from, Instant to) throws IOException, InterruptedException {
        Path chunks = chunkDirectory();
        if (chunks == null) {
            return null;
        }
        Counts counts = new Counts();
        try (EventStream stream = EventStream.openRepository(chunks)) {
            stream.setStartTime(from);
            stream.onEvent(e -> {
                if (!e.getStartTime().isAfter(to)) {
                    counts.add(e);
                }
                counts.latest = e.getEndTime();
            });
            stream.startAsync();
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (!counts.passed(to) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            if (!counts.passed(to)) {
                return null;
            }
        }
        return counts.window();
    }

    /** The directory the JVM writes its chunks into: the one directory it made in the repository. */
    private Path chunkDirectory() throws IOException {
        try (Stream<Path> dirs = Files.list(repository)) {
            return dirs.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    /** Deletes the repository (the server has stopped, or is about to). */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: what is left goes with the machine's next clean-up
        }
    }

    /** The running sums of one read, filled by the stream's thread. */
    private static final class Counts {
        long pinned;
        double pinnedMicros;
        double pinnedMaxMicros;
        long submitFailed;
        int samples;
        int parallelism;
        int carriersPeak;
        long mountedSum;
        int mountedPeak;
        long queuedSum;
        long queuedPeak;
        volatile Instant latest = Instant.MIN;

        synchronized void add(RecordedEvent e) {
            switch (e.getEventType().getName()) {
                case PINNED -> pinned(e.getDuration());
                case SUBMIT_FAILED -> submitFailed++;
                case SCHEDULER -> scheduler(e);
                default -> { }                           // the recording holds only these
            }
        }

        private void pinned(Duration d) {
            double micros = d.toNanos() / 1e3;
            pinned++;
            pinnedMicros += micros;
            pinnedMaxMicros = Math.max(pinnedMaxMicros, micros);
        }

        private void scheduler(RecordedEvent e) {
            samples++;
            parallelism = e.getInt("parallelism");
            carriersPeak = Math.max(carriersPeak, e.getInt("carriers"));
            int mounted = e.getInt("mounted");
            long queued = e.getLong("queued");
            mountedSum += mounted;
            mountedPeak = Math.max(mountedPeak, mounted);
            queuedSum += queued;
            queuedPeak = Math.max(queuedPeak, queued);
        }

        boolean passed(Instant to) {
            return !latest.isBefore(to);
        }

        synchronized Trial.VirtualThreads window() {
            return new Trial.VirtualThreads(pinned, pinnedMicros, pinnedMaxMicros, submitFailed, samples, parallelism, carriersPeak,
                    samples == 0 ? 0 : (double) mountedSum / samples, mountedPeak,
                    samples == 0 ? 0 : (double) queuedSum / samples, queuedPeak);
        }
    }
}
