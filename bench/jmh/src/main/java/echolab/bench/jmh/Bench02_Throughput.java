package echolab.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import echolab.bench.harness.InProcessServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * How many echoes per second when several clients talk at once?
 *
 * Four client threads, each on its own connection, each doing round trips as fast as it can. Now the
 * server has to serve connections concurrently: thread-per-conn with four OS threads, virtual-thread
 * with four virtual threads on its carriers, selector with its one loop. On a small machine the
 * clients compete with the server for the same cores, so read the numbers side by side, not alone.
 *
 * sync-echo is left out on purpose: it serves one connection at a time, so three of the four client
 * threads would wait for ever. That is its lesson, shown in bench/ as starved connections.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
public class Bench02_Throughput {

    @State(Scope.Benchmark)
    public static class Server {
        @Param({"thread-per-conn", "selector", "virtual-thread"})
        String server;

        @Param({"64", "4096"})
        int size;

        InProcessServer echo;

        @Setup(Level.Trial)
        public void start() throws IOException {
            echo = new InProcessServer(server);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }

    @State(Scope.Thread)
    public static class Connection {
        InProcessServer.Client client;

        @Setup(Level.Trial)
        public void connect(Server server) throws IOException {
            client = server.echo.connect(server.size);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            client.close();
        }
    }

    @Benchmark
    public byte roundTrip(Connection connection) throws IOException {
        return connection.client.roundTrip();
    }
}

/*
 * How to run:
 *   ./echolab jmh Bench02                 (JSON into results/jmh/)
 *   ./echolab jmh Bench02 -t 8            (eight client threads instead of four)
 *   ./echolab jmh -h                      (every JMH option)
 */
