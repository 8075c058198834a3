package echolab.bench.check;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import echolab.bench.check.Measurer.Side;
import echolab.bench.check.PairedRatio.Verdict;
import echolab.bench.results.Format;

/**
 * The gate's procedure: rounds in which every server still in question is measured as base and as
 * candidate, in a seeded random order; after each round, the paired log-ratios of every metric and
 * their verdicts. After the first {@code rounds}, only servers with an inconclusive metric go on,
 * up to {@code cap} rounds.
 */
final class Gate {

    /** Per server and metric: the (base, candidate) pairs, the verdict, and why a metric could not be judged. */
    record Outcome(int rounds, Map<String, Map<Metric, List<double[]>>> pairs,
                   Map<String, Map<Metric, PairedRatio.Result>> results, Map<String, Map<Metric, String>> notApplicable) {

        boolean failed() {
            return results.values().stream().flatMap(m -> m.values().stream()).anyMatch(r -> r.verdict() == Verdict.FAIL);
        }

        long inconclusive() {
            return results.values().stream().flatMap(m -> m.values().stream()).filter(r -> r.verdict() == Verdict.INCONCLUSIVE).count();
        }
    }

    private final Measurer measurer;
    private final List<String> servers;
    private final int rounds;
    private final int cap;
    private final long seed;
    private final PrintStream log;

    Gate(Measurer measurer, List<String> servers, int rounds, int cap, long seed, PrintStream log) {
        this.measurer = measurer;
        this.servers = servers;
        this.rounds = rounds;
        this.cap = cap;
        this.seed = seed;
        this.log = log;
    }

    Outcome run() throws IOException, InterruptedException {
        for (String server : servers) {
            measurer.prepare(server);
        }
        Map<String, Map<Metric, List<double[]>>> pairs = new LinkedHashMap<>();
        Map<String, Map<Metric, String>> notApplicable = new LinkedHashMap<>();
        servers.forEach(s -> {
            pairs.put(s, new EnumMap<>(Metric.class));
            notApplicable.put(s, new EnumMap<>(Metric.class));
        });
        SplittableRandom order = new SplittableRandom(seed);
        Map<String, Map<Metric, PairedRatio.Result>> results = Map.of();
        List<String> active = servers;
        long started = System.nanoTime();
        int round = 0;
        while (true) {
            round++;
            List<Object[]> jobs = new ArrayList<>();
            for (String server : active) {
                jobs.add(new Object[] {server, Side.BASE});
                jobs.add(new Object[] {server, Side.CANDIDATE});
            }
            Collections.shuffle(jobs, new Random(order.nextLong()));
            Map<String, Sample[]> measured = new LinkedHashMap<>();
            for (Object[] job : jobs) {
                Side side = (Side) job[1];
                measured.computeIfAbsent((String) job[0], k -> new Sample[2])[side.ordinal()] = measurer.measure((String) job[0], side);
            }
            measured.forEach((server, samples) -> {
                for (Metric metric : Metric.values()) {
                    Double b = samples[0].values().get(metric);
                    Double c = samples[1].values().get(metric);
                    if (b != null && c != null) {
                        pairs.get(server).computeIfAbsent(metric, k -> new ArrayList<>()).add(new double[] {b, c});
                    } else {
                        String why = samples[0].missing().getOrDefault(metric, samples[1].missing().get(metric));
                        notApplicable.get(server).putIfAbsent(metric, why != null ? why : "not measured");
                    }
                }
            });
            results = analyse(pairs, notApplicable);
            Map<String, Map<Metric, PairedRatio.Result>> now = results;
            List<String> open = servers.stream().filter(s -> now.get(s).values().stream()
                    .anyMatch(r -> r.verdict() == Verdict.INCONCLUSIVE)).toList();
            boolean more = round < rounds || (!open.isEmpty() && round < cap);
            active = round < rounds ? servers : open;
            log.printf("check: round %d done (%s elapsed)%s%n", round, Format.seconds((System.nanoTime() - started) / 1e9),
                    more && round >= rounds ? "; inconclusive, one more round for " + String.join(", ", active) : "");
            if (!more) {
                return new Outcome(round, pairs, results, notApplicable);
            }
        }
    }

    private Map<String, Map<Metric, PairedRatio.Result>> analyse(Map<String, Map<Metric, List<double[]>>> pairs,
                                                                Map<String, Map<Metric, String>> notApplicable) {
        Map<String, Map<Metric, PairedRatio.Result>> results = new LinkedHashMap<>();
        pairs.forEach((server, byMetric) -> {
            Map<Metric, PairedRatio.Result> out = new EnumMap<>(Metric.class);
            byMetric.forEach((metric, p) -> {
                if (!notApplicable.get(server).containsKey(metric)) {   // a metric missing in any round is not judged
                    double[] logs = p.stream().mapToDouble(x -> metric.logRatio(x[0], x[1])).toArray();
                    out.put(metric, PairedRatio.analyse(logs, seed ^ (server + metric.key).hashCode()));
                }
            });
            results.put(server, out);
        });
        return results;
    }
}
