package echolab.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/*
 * How many bytes does the JVM allocate per echo?
 *
 * The round trip of Bench01 again, meant to be run with JMH's GC profiler (-prof gc), whose
 * gc.alloc.rate.norm column is the bytes allocated per operation, in this JVM: client and server.
 * The client reuses its buffers, so what is left is the server's. Look for a number near zero for a
 * server that reuses its buffer (selector's one shared buffer; the blocking servers' one buffer per
 * connection), and ask where it comes from when it is not: the JDK's socket streams, a virtual thread
 * parking and unparking, a ByteBuffer made after a partial write.
 *
 * Allocation is nearly deterministic, which makes it a good regression metric (./echolab check).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Bench03_Allocation extends OneEchoAtATime {
}

/*
 * How to run:
 *   ./echolab jmh Bench03 -prof gc        (look at gc.alloc.rate.norm; JSON into results/jmh/)
 *   ./echolab jmh Bench03 -prof gc -p server=virtual-thread
 *   ./echolab jmh -h                      (every JMH option)
 */
