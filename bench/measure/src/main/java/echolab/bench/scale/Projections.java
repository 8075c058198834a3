package echolab.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import echolab.bench.results.Ladder;
import echolab.bench.results.Ladder.Fit;
import echolab.bench.results.Ladder.Limit;
import echolab.bench.results.Ladder.Projection;
import echolab.bench.results.Trial;

/**
 * Beyond this machine, on paper: what each connection cost a server (a least-squares line over the steps it
 * held, from where it started), and from those costs the connections it would hold on a larger machine
 * before the first of its limits binds. The machines are named with every limit the projection assumes.
 */
final class Projections {

    /** A machine on paper: its memory and the limits a server meets there. */
    record Machine(String name, long memoryKiB, long nofile, long pidMax, long threadsMax, long maxMapCount) {
    }

    private static final long GIB_IN_KIB = 1024L * 1024;
    /** Memory the projection leaves to the system and everything else on the machine. */
    static final long SYSTEM_KIB = 4 * GIB_IN_KIB;
    /** The heap every JVM server runs with (ServerCatalogue.JVM_FLAGS: -Xmx1g). */
    static final long HEAP_KIB = GIB_IN_KIB;

    /**
     * Two machines: 64 GiB with descriptors raised and the kernel's other defaults (threads-max as the kernel
     * sizes it for that memory, RAM / 128 KiB; vm.max_map_count 65,530), and 256 GiB with every limit raised.
     */
    static final List<Machine> MACHINES = List.of(
            new Machine("64 GiB, nofile 1,048,576, other limits at the kernel's defaults", 64 * GIB_IN_KIB, 1_048_576, 4_194_304,
                    64 * GIB_IN_KIB / 128, 65_530),
            new Machine("256 GiB, nofile 1,048,576, pid_max, threads-max and max_map_count 4,194,304", 256 * GIB_IN_KIB, 1_048_576,
                    4_194_304, 4_194_304, 4_194_304));

    private Projections() {
    }

    /** The costs per connection, fitted over the baseline and every step held; null fits where a figure is missing. */
    static Ladder.Costs costs(Climb.Outcome o) {
        List<Trial.LadderStats> held = o.steps().stream().filter(t -> t.status() == Trial.Status.OK).flatMap(t -> t.step().stream()).toList();
        Climb.Footprint b = o.baseline();
        if (b == null || held.isEmpty()) {
            return null;
        }
        return new Ladder.Costs(fit(held, b.rssKiB(), l -> l.rssKiB()),
                b.heapKiB() == null || held.stream().anyMatch(l -> l.heapKiB() == null) ? null : fit(held, b.heapKiB(), l -> l.heapKiB()),
                fit(held, b.threads(), l -> l.threads()), fit(held, b.maps(), l -> l.maps()),
                fit(held, b.slabKiB(), l -> l.kernelSlabKiB()));
    }

    /** Least squares through (0, at start) and (accepted, value) of each step. */
    static Fit fit(List<Trial.LadderStats> held, double atStart, ToDoubleFunction<Trial.LadderStats> value) {
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, atStart});
        held.forEach(l -> points.add(new double[] {l.accepted(), value.applyAsDouble(l)}));
        return fit(points);
    }

    static Fit fit(List<double[]> points) {
        int n = points.size();
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        Double error = null;
        if (n > 2 && sxx > 0) {
            double ssr = 0;
            for (double[] p : points) {
                double r = p[1] - (my + slope * (p[0] - mx));
                ssr += r * r;
            }
            error = Math.sqrt(ssr / (n - 2) / sxx);
        }
        return new Fit(slope, error, n);
    }

    /**
     * The ceiling of a server with {@code costs}, started at {@code baseline}, on each machine: the limit that binds
     * first, and in {@code how} every limit's ceiling and its arithmetic, lowest first; empty without costs.
     */
    static List<Projection> project(Ladder.Costs costs, Climb.Footprint baseline) {
        List<Projection> out = new ArrayList<>();
        if (costs == null || baseline == null) {
            return out;
        }
        for (Machine m : MACHINES) {
            List<Projection> limits = new ArrayList<>();
            double kernel = Math.max(0, costs.kernelSlabKiB().perConnection() / 2);     // the server's end of each connection
            double memory = Math.max(0.01, costs.rssKiB().perConnection() + kernel);
            double memoryError = Math.sqrt(sq(costs.rssKiB().standardError()) + sq(costs.kernelSlabKiB().standardError()) / 4);
            limits.add(ceiling(m, Limit.MEMORY, m.memoryKiB() - SYSTEM_KIB - baseline.rssKiB(), memory, memoryError,
                    String.format("(%s - 4 GiB for the system - %,d KiB at start) / (%.2f KiB RSS + %.2f KiB kernel per connection)",
                            gib(m.memoryKiB()), baseline.rssKiB(), costs.rssKiB().perConnection(), kernel)));
            limits.add(new Projection(m.name(), m.nofile() - baseline.descriptors(), m.nofile() - baseline.descriptors(),
                    m.nofile() - baseline.descriptors(), Limit.DESCRIPTORS, String.format("nofile %,d - %d descriptors at start, one per connection",
                            m.nofile(), baseline.descriptors())));
            if (costs.threads().perConnection() > 0.01) {
                long threads = Math.min(m.pidMax(), m.threadsMax());
                limits.add(ceiling(m, Limit.THREADS, threads - baseline.threads(), costs.threads().perConnection(),
                        nz(costs.threads().standardError()), String.format("min(pid_max, threads-max) %,d / %.3f threads per connection",
                                threads, costs.threads().perConnection())));
            }
            if (costs.maps().perConnection() > 0.01) {
                limits.add(ceiling(m, Limit.MAPPINGS, m.maxMapCount() - baseline.maps(), costs.maps().perConnection(),
                        nz(costs.maps().standardError()), String.format("vm.max_map_count %,d / %.2f mappings per connection (thread stacks)",
                                m.maxMapCount(), costs.maps().perConnection())));
            }
            if (costs.heapKiB() != null && costs.heapKiB().perConnection() > 0.01) {
                limits.add(ceiling(m, Limit.HEAP, HEAP_KIB - nz(baseline.heapKiB()), costs.heapKiB().perConnection(),
                        nz(costs.heapKiB().standardError()), String.format("-Xmx1g (as echo-lab runs servers) / %.2f KiB live heap per connection",
                                costs.heapKiB().perConnection())));
            }
            limits.sort(java.util.Comparator.comparingLong(Projection::connections));
            Projection binding = limits.get(0);
            String how = String.join("; then ", limits.stream().map(p -> String.format("%s at %,d: %s", p.binding().label,
                    p.connections(), p.how())).toList());
            out.add(new Projection(m.name(), binding.connections(), binding.low(), binding.high(), binding.binding(), how));
        }
        return out;
    }

    private static Projection ceiling(Machine m, Limit limit, double room, double perConnection, double error, String how) {
        long at = (long) Math.max(0, room / perConnection);
        long low = (long) Math.max(0, room / (perConnection + 2 * error));
        long high = perConnection - 2 * error > 0 ? (long) (room / (perConnection - 2 * error)) : Long.MAX_VALUE;
        return new Projection(m.name(), at, low, high, limit, how);
    }

    private static double sq(Double v) {
        return v == null ? 0 : v * v;
    }

    private static double nz(Double v) {
        return v == null ? 0 : v;
    }

    private static double nz(Long v) {
        return v == null ? 0 : v;
    }

    private static String gib(long kib) {
        return kib / GIB_IN_KIB + " GiB";
    }
}
