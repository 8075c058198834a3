package echolab.bench.alloc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import echolab.bench.harness.InProcessServer;

/**
 * Where a server allocates per echo: the server runs in this JVM, a client thread makes round trips,
 * and JDK Flight Recorder samples allocations ({@code jdk.ObjectAllocationSample}, whose weight is the
 * bytes the thread allocated since its last sample). Samples of the client thread are set apart; every
 * other thread (the server's loop, its connection threads, virtual threads and their carriers) is the
 * server's side.
 *
 * <p>JFR samples an allocation where it leaves the fast path, at a thread-local buffer's refill, so a
 * server that allocates little is sampled rarely. {@code ./echolab alloc} therefore runs this in a JVM
 * of its own with small, fixed thread-local buffers ({@link #JVM_FLAGS}): many more samples, same total.
 */
public final class AllocationRecorder {

    /** For the recording JVM: small fixed TLABs, so that samples come every few KiB allocated. */
    static final java.util.List<String> JVM_FLAGS = java.util.List.of("-Xmx512m", "-XX:TLABSize=2k", "-XX:-ResizeTLAB",
            "-XX:MinTLABSize=2k");

    private static final String CLIENT_THREAD = "echolab-alloc-client";

    private AllocationRecorder() {
    }

    /** {@code java ... AllocationRecorder SERVER SIZE PIPELINE WARMUP ECHOES OUT.json}: records one server, writes its sites. */
    public static void main(String[] args) throws Exception {
        AllocationSites.ServerSites sites = record(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Long.parseLong(args[3]), Long.parseLong(args[4]));
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(java.nio.file.Path.of(args[5]).toFile(), sites);
        System.exit(0);
    }

    /**
     * Warms the server up with {@code warmup} echoes, then records {@code echoes} of {@code size} bytes, sent
     * {@code pipeline} to a write (rounded down to whole writes).
     */
    static AllocationSites.ServerSites record(String server, int size, int pipeline, long warmup, long echoes)
            throws IOException, InterruptedException {
        Path jfr = Files.createTempFile("echolab-alloc-" + server, ".jfr");
        try (InProcessServer echo = new InProcessServer(server)) {
            Throwable[] failure = new Throwable[1];
            java.util.concurrent.CountDownLatch warmed = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread client = Thread.ofPlatform().name(CLIENT_THREAD).start(() -> {
                try (InProcessServer.Client c = echo.connect(size, pipeline)) {
                    for (long i = 0; i < warmup / pipeline; i++) {
                        c.roundTrip();
                    }
                    warmed.countDown();
                    go.await();
                    for (long i = 0; i < echoes / pipeline; i++) {
                        c.roundTrip();
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                    warmed.countDown();
                }
            });
            warmed.await();
            // The recording is started and stopped on this thread, whose own allocations are left out with the client's.
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ObjectAllocationSample").with("throttle", "100000/s").withStackTrace();
                recording.start();
                go.countDown();
                client.join();
                recording.stop();
                recording.dump(jfr);
            }
            if (failure[0] != null) {
                throw new IOException(server + ": the client failed: " + failure[0].getMessage(), failure[0]);
            }
            return summarise(server, size, pipeline, echoes / pipeline * pipeline, RecordingFile.readAllEvents(jfr),
                    Thread.currentThread().getName());
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    static AllocationSites.ServerSites summarise(String server, int size, int pipeline, long echoes, List<RecordedEvent> events,
                                                 String recorderThread) {
        Map<String, double[]> bySite = new LinkedHashMap<>();      // key: type|frame|caller -> {bytes, samples}
        Map<String, String[]> names = new LinkedHashMap<>();
        Map<String, List<String>> stacks = new LinkedHashMap<>();
        double serverBytes = 0;
        double clientBytes = 0;
        long samples = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            RecordedThread thread = e.getThread("eventThread");
            String threadName = thread == null ? "" : String.valueOf(thread.getJavaName());
            long weight = e.getLong("weight");
            if (threadName.equals(CLIENT_THREAD)) {
                clientBytes += weight;
                continue;
            }
            if (threadName.startsWith("JFR ") || threadName.equals(recorderThread)) {
                continue;                                  // the recorder's own threads
            }
            String type = e.getClass("objectClass").getName();
            String[] where = where(e.getStackTrace());
            String key = type + "|" + where[0] + "|" + where[1];
            double[] acc = bySite.computeIfAbsent(key, k -> new double[2]);
            names.putIfAbsent(key, new String[] {type, where[0], where[1]});
            stacks.putIfAbsent(key, frames(e.getStackTrace()));
            acc[0] += weight;
            acc[1]++;
            serverBytes += weight;
            samples++;
        }
        List<AllocationSites.Site> sites = new ArrayList<>();
        bySite.forEach((key, acc) -> {
            String[] n = names.get(key);
            sites.add(new AllocationSites.Site(n[0], n[1], n[2], acc[0] / echoes, (long) acc[1], stacks.get(key)));
        });
        sites.sort((a, b) -> Double.compare(b.bytesPerEcho(), a.bytesPerEcho()));
        return new AllocationSites.ServerSites(server, size, pipeline, echoes, serverBytes / echoes, clientBytes / echoes, samples, sites);
    }

    /** The innermost frame ("Class.method"), and the innermost frame in echo-lab's code (or null). */
    private static String[] where(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return new String[] {"(no stack)", null};
        }
        List<RecordedFrame> frames = stack.getFrames();
        String top = name(frames.get(0));
        String caller = null;
        for (RecordedFrame f : frames) {
            if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("echolab.")) {
                caller = name(f);
                break;
            }
        }
        return new String[] {top, caller};
    }

    /** The innermost frames of one sample's stack, for a reader who wants to see the way there. */
    private static List<String> frames(RecordedStackTrace stack) {
        List<String> out = new ArrayList<>();
        if (stack != null) {
            for (RecordedFrame f : stack.getFrames()) {
                if (f.isJavaFrame() && out.size() < 8) {
                    out.add(name(f));
                }
            }
        }
        return out;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
