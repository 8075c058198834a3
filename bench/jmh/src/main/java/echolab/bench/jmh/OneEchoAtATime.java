package echolab.bench.jmh;

import java.io.IOException;

import echolab.bench.harness.InProcessServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/*
 * One client, one connection, one message at a time: write it, read the whole echo back. The state and
 * the operation that Bench01 (time) and Bench03 (allocation) measure; each subclass says how (JMH
 * generates a benchmark for each concrete subclass, with the subclass's modes and iterations).
 */
@State(Scope.Benchmark)
public abstract class OneEchoAtATime {

    @Param({"sync", "thread-per-conn", "selector", "virtual-thread"})
    String server;

    @Param({"64", "4096"})
    int size;

    private InProcessServer echo;
    private InProcessServer.Client client;

    @Setup(Level.Trial)
    public void start() throws IOException {
        echo = new InProcessServer(server);
        client = echo.connect(size);
    }

    @Benchmark
    public byte roundTrip() throws IOException {
        return client.roundTrip();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        echo.close();
    }
}
