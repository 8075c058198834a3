package echolab.bench.check;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the gate's rules would say over many runs, from rounds measured for real: reads check.json files
 * of one kind (A/A, or one injected slowdown), pools each server's rounds, and runs the real {@link Gate}
 * many times on rounds drawn from the pools at random (with replacement), as the real gate would have met
 * them, on a clock that advances by each drawn round's own measured time (check.json version 4 records
 * it; older files count 11 s a round) so that the budget ends runs as it would have. Prints how often
 * it FAILed, was NOISY and PASSed, on which metrics it failed, the rounds, and the bound a PASS reached.
 * Rounds are treated as independent, which rounds of one run are only nearly; real runs are the check.
 *
 * <pre>java -cp bench/check/target/test-classes:bench/cli/target/bench.jar echolab.bench.check.GateReplay
 *     [--runs N] [--rounds N] [--max-rounds N] [--budget TIME] [--setup TIME] [--target PERCENT] [--shift PERCENT] FILE...</pre>
 *
 * {@code --setup} is the time spent before the rounds (builds and probes; 40 s unless given); {@code --shift P}
 * makes the candidate's time and CPU per message P% larger in every round drawn, which turns A/A rounds
 * into a slowdown of known size (a simulation of the gate's power on the machine's own noise).
 */
public final class GateReplay {

    /** One round of one server as measured: the base's and the candidate's value of every metric in it, and how long it took. */
    private record Round(MetricValues base, MetricValues candidate, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 2000;
        int rounds = 5;
        Integer cap = null;
        Duration budget = Duration.ofMinutes(5);
        Duration setup = Duration.ofSeconds(40);
        double target = 5;
        double shift = 0;
        Map<String, List<Round>> pools = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--max-rounds" -> cap = Integer.parseInt(args[++i]);
                case "--budget" -> budget = echolab.bench.base.Durations.parse(args[++i]);
                case "--setup" -> setup = echolab.bench.base.Durations.parse(args[++i]);
                case "--target" -> target = Double.parseDouble(args[++i]);
                case "--shift" -> shift = Double.parseDouble(args[++i]);
                default -> read(new File(args[i]), pools);
            }
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("no rounds read; usage: GateReplay [--runs N] [--rounds N] [--max-rounds N] [--budget TIME] "
                    + "[--setup TIME] [--target PERCENT] CHECK.json...");
        }
        int max = cap == null ? 4 * rounds : cap;
        List<String> servers = List.copyOf(pools.keySet());
        Map<Gate.GateVerdict, Integer> verdicts = new EnumMap<>(Gate.GateVerdict.class);
        Map<String, Integer> failedOn = new TreeMap<>();
        List<Integer> used = new ArrayList<>();
        List<Double> passBound = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(862);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        long setupNanos = setup.toNanos() / Math.max(1, servers.size());
        double factor = 1 + shift / 100;
        for (int r = 0; r < runs; r++) {
            SplittableRandom draw = random.split();
            long[] clock = {0};
            Measurer replay = new Measurer() {
                @Override
                public void prepare(String s) {
                    clock[0] += setupNanos;
                }

                @Override
                public MetricValues[] measureRound(String s, Random order, boolean openLoop) {
                    List<Round> pool = pools.get(s);
                    Round round = pool.get(draw.nextInt(pool.size()));
                    clock[0] += (long) (round.seconds() * 1e9);
                    return new MetricValues[] {round.base(), shifted(round.candidate(), factor)};
                }

                @Override
                public String cpuClock() {
                    return "replayed";
                }
            };
            Gate.Outcome o = new Gate(replay, servers, new Gate.Plan(rounds, max, target / 100, new Budget(budget, () -> clock[0])),
                    random.nextLong(), false, quiet).run();
            verdicts.merge(o.verdict(), 1, Integer::sum);
            used.add(o.rounds());
            o.rows().stream().filter(row -> row.status() == Gate.Status.FAIL)
                    .forEach(row -> failedOn.merge(row.server() + " " + row.metric().key, 1, Integer::sum));
            if (o.verdict() == Gate.GateVerdict.PASS) {
                passBound.add(o.largestPrimaryBound());
            }
        }
        used.sort(null);
        passBound.sort(null);
        System.out.printf("rounds pooled: %s; %d replayed runs of %d to %d rounds, budget %s, target %.1f%%, shift %+.1f%%%n",
                pools.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).toList(), runs, rounds, max,
                echolab.bench.base.Durations.format(budget), target, shift);
        for (Gate.GateVerdict v : Gate.GateVerdict.values()) {
            System.out.printf("  %-5s %5.1f%%%n", v, 100.0 * verdicts.getOrDefault(v, 0) / runs);
        }
        System.out.printf("  failed on: %s%n", failedOn);
        System.out.printf("  rounds: median %d, 90th percentile %d%n", used.get(runs / 2), used.get(runs * 9 / 10));
        if (!passBound.isEmpty()) {
            System.out.printf("  PASS \"no regression larger than\": median %.1f%%, 90th percentile %.1f%%%n",
                    100 * passBound.get(passBound.size() / 2), 100 * passBound.get(passBound.size() * 9 / 10));
        }
    }

    /** The candidate's time and CPU per message made {@code factor} times larger: a slowdown laid on rounds measured A/A. */
    private static MetricValues shifted(MetricValues candidate, double factor) {
        if (factor == 1) {
            return candidate;
        }
        Map<Metric, Double> values = new EnumMap<>(candidate.values());
        values.replaceAll((m, v) -> m.role == Metric.Role.PRIMARY ? v * factor : v);
        return new MetricValues(values, candidate.missing());
    }

    /** Adds the rounds of one check.json to the pools of its servers. */
    private static void read(File file, Map<String, List<Round>> pools) throws Exception {
        JsonNode json = new ObjectMapper().readTree(file);
        Map<String, List<Map<Metric, Double>>> base = new LinkedHashMap<>();
        Map<String, List<Map<Metric, Double>>> candidate = new LinkedHashMap<>();
        for (JsonNode row : json.path("results")) {
            Metric metric = metric(row.path("metric").asText());
            if (metric == null || !metric.role.steers() || !row.has("pairs")) {
                continue;                                   // what only reports is not replayed
            }
            String server = row.path("server").asText();
            JsonNode pairs = row.path("pairs");
            List<Map<Metric, Double>> b = base.computeIfAbsent(server, k -> new ArrayList<>());
            List<Map<Metric, Double>> c = candidate.computeIfAbsent(server, k -> new ArrayList<>());
            for (int i = 0; i < pairs.size(); i++) {
                while (b.size() <= i) {
                    b.add(new EnumMap<>(Metric.class));
                    c.add(new EnumMap<>(Metric.class));
                }
                b.get(i).put(metric, pairs.get(i).get(0).asDouble());
                c.get(i).put(metric, pairs.get(i).get(1).asDouble());
            }
        }
        for (String server : base.keySet()) {
            JsonNode seconds = json.path("roundSeconds").path(server);
            List<Map<Metric, Double>> b = base.get(server);
            for (int i = 0; i < b.size(); i++) {
                double s = seconds.has(i) ? seconds.get(i).asDouble() : 11;
                pools.computeIfAbsent(server, k -> new ArrayList<>()).add(new Round(new MetricValues(b.get(i), Map.of()),
                        new MetricValues(candidate.get(server).get(i), Map.of()), s));
            }
        }
    }

    private static Metric metric(String key) {
        for (Metric m : Metric.values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }
}
