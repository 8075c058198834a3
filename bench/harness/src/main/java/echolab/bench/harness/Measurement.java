package echolab.bench.harness;

import java.io.IOException;
import java.time.Instant;

import echolab.bench.harness.ProcReading.Io;
import echolab.bench.harness.ProcReading.Switches;
import echolab.bench.load.IntervalLog;
import echolab.bench.load.LoadConfig;
import echolab.bench.load.LoadGenerator;
import echolab.bench.load.LoadResult;
import echolab.bench.results.Trial;

/**
 * One trial: a running server and a load config in, the generator's result and the server's own figures
 * over the same measured window out, in the harness's own terms. Both bench and check measure through
 * here; {@link #serverStats()} is the one place they become the saved model.
 *
 * @param window the server's /proc figures over the window; null for a server on another host
 * @param heldConnections client connections the server held at its peak; -1 when unknown
 * @param serverAlive whether the server was still running at the end (a crash is a failed trial)
 * @param virtualThreads what its virtual threads did, for a server recorded with JFR; null otherwise
 * @param systemCalls its system calls per message, when they were counted ({@link #counted}); null otherwise
 */
public record Measurement(LoadResult load, ProcWindow window, int heldConnections, boolean serverAlive,
                          Trial.VirtualThreads virtualThreads, Trial.SystemCalls systemCalls) {

    public static Measurement of(ServerProcess server, LoadConfig config) throws IOException, InterruptedException {
        return of(server, config, null);
    }

    /** As above, writing the window's latencies to an interval log too ({@code log} null: none). */
    public static Measurement of(ServerProcess server, LoadConfig config, IntervalLog log) throws IOException, InterruptedException {
        LoadResult load = LoadGenerator.run(addressedTo(server, config), new LoadGenerator.Options(log, null, edges(server)));
        return of(server, load, null);
    }

    /** {@code config} sent to {@code server}: its address, and its messages framed as it frames them (a line server's terminator). */
    public static LoadConfig addressedTo(ServerProcess server, LoadConfig config) {
        return config.withHost(server.host()).withPort(server.port()).withTerminator(server.terminator());
    }

    /** The server's /proc read at the edges of a window this JVM's generator measures. */
    private static LoadGenerator.Edges edges(ServerProcess server) {
        return new LoadGenerator.Edges() {
            @Override
            public void opens() {
                server.windowOpens();
            }

            @Override
            public void closes() {
                server.windowCloses();
            }
        };
    }

    /**
     * The server's figures over the window of a load run elsewhere (from other hosts, say), with that load's:
     * the server must have been read every so often through it ({@link ServerProcess#sampleEvery}).
     */
    public static Measurement of(ServerProcess server, LoadResult load) throws IOException, InterruptedException {
        return of(server, load, null);
    }

    /**
     * As {@link #of}, with the kernel counting the server's system calls ({@link SyscallCounter}), attached once
     * every connection has been ramped up, so that the threads a server starts for its connections are there to
     * be counted; counting slows the calls, so this measurement's time and CPU are not the server's usual.
     */
    public static Measurement counted(ServerProcess server, LoadConfig config) throws IOException, InterruptedException {
        SyscallCounter[] counter = new SyscallCounter[1];
        try {
            LoadGenerator.Start attach = opened -> {
                counter[0] = SyscallCounter.attach(server.pid());
                return Instant.now();                        // the warm-up gives perf the time it takes to attach
            };
            LoadResult load = LoadGenerator.run(addressedTo(server, config), new LoadGenerator.Options(null, attach, edges(server)));
            return of(server, load, counter[0].stop(load.measureFromNanos(), load.measureToNanos(), load.report().messages()));
        } finally {
            if (counter[0] != null) {
                counter[0].close();
            }
        }
    }

    private static Measurement of(ServerProcess server, LoadResult load, Trial.SystemCalls calls)
            throws IOException, InterruptedException {
        ProcWindow w = server.window(load.measureFromNanos(), load.measureToNanos());
        Trial.VirtualThreads vt = server.virtualThreads(load.measureFromNanos(), load.measureToNanos());
        return new Measurement(load, w, w == null ? -1 : server.heldConnections(w.peakOpenFiles()), server.alive(), vt, calls);
    }

    /** This measurement, its report naming the interval log its latencies were written to. */
    public Measurement withHlog(String path) {
        LoadResult l = new LoadResult(load.config(), load.report().withHlog(path), load.corrected(), load.uncorrected(),
                load.measureFromNanos(), load.measureToNanos());
        return new Measurement(l, window, heldConnections, serverAlive, virtualThreads, systemCalls);
    }

    public long messages() {
        return load.report().messages();
    }

    /** The server's figures as results.json keeps them: peaks, CPU per message, the kernel's counts per message. */
    public Trial.ServerStats serverStats() {
        if (window == null) {
            return null;                                     // the server ran on another host
        }
        long n = messages();
        return new Trial.ServerStats(window.peakRssKiB(), window.peakThreads(), window.cpuSeconds(),
                n > 0 ? window.cpuSeconds() * 1e6 / n : null, heldConnections < 0 ? null : heldConnections,
                n > 0 ? perMessage(window.io(), window.switches(), n) : null, window.cpuClock(),
                virtualThreads, systemCalls);
    }

    /** Counts over {@code messages} messages, per message; a count that is unknown stays null. */
    public static Trial.KernelCounts perMessage(Io io, Switches sw, long messages) {
        double n = messages;
        return new Trial.KernelCounts(io == null ? null : io.readCalls() / n, io == null ? null : io.writeCalls() / n,
                io == null ? null : io.bytesRead() / n, io == null ? null : io.bytesWritten() / n,
                sw == null ? null : sw.voluntary() / n, sw == null ? null : sw.involuntary() / n);
    }
}
