package echolab.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/*
 * How long does one echo take when nothing else is going on?
 *
 * One client, one connection, one message at a time: write it, read the whole echo back. This is the
 * latency floor of each model, without any queueing: the cost of the system calls, of waking the
 * server's thread (a platform thread, a virtual thread's carrier, or the selector's loop) and of the
 * loopback TCP stack. Client and server share this JVM, so the number includes both sides.
 *
 * Two modes: average time, and sample time, which keeps a histogram of individual calls so that the
 * percentiles (p0.99, p0.999) show the outliers the average hides. Look at how close the models are
 * here, compared with how far apart they are under many connections (bench/, Bench02): one idle
 * connection is the case where every model is cheap.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Bench01_RoundTrip extends OneEchoAtATime {
}

/*
 * How to run:
 *   ./echolab jmh Bench01                 (all servers and sizes; JSON into results/jmh/)
 *   ./echolab jmh Bench01 -p server=selector -p size=64
 *   ./echolab jmh -h                      (every JMH option)
 */
