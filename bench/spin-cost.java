// Measures what the injected slowdown's spin costs on its own: the loop of echolab.common.Connections.spin
// (busy-wait on System.nanoTime with Thread.onSpinWait until N ns have passed), run 200,000 times per length,
// and the thread's CPU time and the wall time per spin, three times each. Run it on the servers' CPU:
//   taskset -c 0 java bench/spin-cost.java
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

public class SpinCost {

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int spins = 200_000;
        for (long nanos : new long[] {500, 900, 1_700, 2_400}) {
            for (int rep = 0; rep < 3; rep++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int i = 0; i < spins; i++) {
                    spin(nanos);
                }
                System.out.printf("spin %,d ns: CPU %,.0f ns, wall %,.0f ns per spin%n", nanos,
                        (threads.getCurrentThreadCpuTime() - cpu) / (double) spins, (System.nanoTime() - wall) / (double) spins);
            }
        }
    }
}
