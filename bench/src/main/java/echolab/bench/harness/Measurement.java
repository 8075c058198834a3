package echolab.bench.harness;

import java.io.IOException;

import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import echolab.bench.results.Trial;

/**
 * One trial: a running server and a load config in, the generator's result and the server's own figures
 * over the same measured window out. Both bench and check measure through here.
 *
 * @param serverAlive whether the server was still running at the end (a crash is a failed trial)
 */
public record Measurement(LoadResult load, Trial.ServerStats server, boolean serverAlive) {

    public static Measurement of(ServerProcess server, LoadConfig config) throws IOException, InterruptedException {
        LoadResult load = LoadGenerator.run(config.withPort(server.port()));
        ProcWindow w = server.window(load.measureFromNanos(), load.measureToNanos());
        long messages = load.report().messages();
        int held = server.heldConnections(w.peakOpenFiles());
        Trial.ServerStats stats = new Trial.ServerStats(w.peakRssKiB(), w.peakThreads(), w.cpuSeconds(),
                messages > 0 ? w.cpuSeconds() * 1e6 / messages : null, held < 0 ? null : held, perMessage(w, messages));
        return new Measurement(load, stats, server.alive());
    }

    private static Trial.KernelCounts perMessage(ProcWindow w, long messages) {
        if (messages == 0) {
            return null;
        }
        ProcReading.Io io = w.io();
        ProcReading.Switches sw = w.switches();
        return new Trial.KernelCounts(io == null ? null : io.readCalls() / (double) messages,
                io == null ? null : io.writeCalls() / (double) messages, io == null ? null : io.bytesRead() / (double) messages,
                io == null ? null : io.bytesWritten() / (double) messages, sw == null ? null : sw.voluntary() / (double) messages,
                sw == null ? null : sw.involuntary() / (double) messages);
    }
}
