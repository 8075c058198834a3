package echolab.bench.check;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the gate's rules would say over many runs, from rounds measured for real: reads check.json files
 * of one kind (A/A, or one injected slowdown; best measured with a fixed number of rounds, e.g.
 * {@code --rounds 18 --max-rounds 18}), pools their rounds, and runs the real {@link Gate} many times on
 * rounds drawn from the pool at random (with replacement), as the real gate would have met them. Prints how
 * often it FAILed, was NOISY and PASSed, with the rounds and the MDE. Rounds are treated as independent,
 * which rounds of one run are only nearly; the real runs of {@code bench/check-power.sh} are the check.
 *
 * <pre>java -cp bench/check/target/test-classes:bench/cli/target/bench.jar echolab.bench.check.GateReplay [--runs N] [--rounds N] [--max-rounds N] FILE...</pre>
 */
public final class GateReplay {

    /** One round of one server as measured: the base's and the candidate's value of every metric in it. */
    private record Round(MetricValues base, MetricValues candidate) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 2000;
        int rounds = 6;
        Integer cap = null;
        List<Round> pool = new ArrayList<>();
        String server = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--max-rounds" -> cap = Integer.parseInt(args[++i]);
                default -> server = read(new File(args[i]), pool);
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("no rounds read; usage: GateReplay [--runs N] [--rounds N] [--max-rounds N] CHECK.json...");
        }
        int max = cap == null ? 3 * rounds : cap;
        Map<Gate.GateVerdict, Integer> verdicts = new EnumMap<>(Gate.GateVerdict.class);
        Map<Metric, Integer> failedOn = new EnumMap<>(Metric.class);
        List<Integer> used = new ArrayList<>();
        List<Double> passMde = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(862);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (int r = 0; r < runs; r++) {
            SplittableRandom draw = random.split();
            Measurer replay = new Measurer() {
                @Override
                public void prepare(String s) {
                }

                @Override
                public MetricValues[] measureRound(String s, Random order, boolean openLoop) {
                    Round round = pool.get(draw.nextInt(pool.size()));
                    return new MetricValues[] {round.base(), round.candidate()};
                }

                @Override
                public String cpuClock() {
                    return "replayed";
                }
            };
            Gate.Outcome o = new Gate(replay, List.of(server),
                    new Gate.Plan(rounds, max, 0.05, Budget.startingNow(java.time.Duration.ofDays(1))), random.nextLong(), false, quiet).run();
            verdicts.merge(o.verdict(), 1, Integer::sum);
            used.add(o.rounds());
            o.rows().stream().filter(row -> row.status() == Gate.Status.FAIL).forEach(row -> failedOn.merge(row.metric(), 1, Integer::sum));
            if (o.verdict() == Gate.GateVerdict.PASS) {
                passMde.add(o.largestPrimaryBound());
            }
        }
        used.sort(null);
        passMde.sort(null);
        System.out.printf("%d rounds pooled (%s); %d replayed runs of %d to %d rounds%n", pool.size(), server, runs, rounds, max);
        for (Gate.GateVerdict v : Gate.GateVerdict.values()) {
            System.out.printf("  %-5s %5.1f%%%n", v, 100.0 * verdicts.getOrDefault(v, 0) / runs);
        }
        System.out.printf("  failed on: %s%n", failedOn);
        System.out.printf("  rounds: median %d, 90th percentile %d%n", used.get(runs / 2), used.get(runs * 9 / 10));
        if (!passMde.isEmpty()) {
            System.out.printf("  PASS \"no regression larger than\": median %.1f%%, 90th percentile %.1f%%%n",
                    100 * passMde.get(passMde.size() / 2), 100 * passMde.get(passMde.size() * 9 / 10));
        }
    }

    /** Adds the rounds of one check.json (one server) to {@code pool}; the server's name. */
    private static String read(File file, List<Round> pool) throws Exception {
        JsonNode results = new ObjectMapper().readTree(file).path("results");
        List<Map<Metric, Double>> base = new ArrayList<>();
        List<Map<Metric, Double>> candidate = new ArrayList<>();
        String server = null;
        for (JsonNode row : results) {
            Metric metric = metric(row.path("metric").asText());
            if (metric == null || !metric.role.steers() || !row.has("pairs")) {
                continue;                                   // what only reports is not replayed
            }
            server = row.path("server").asText();
            JsonNode pairs = row.path("pairs");
            for (int i = 0; i < pairs.size(); i++) {
                while (base.size() <= i) {
                    base.add(new EnumMap<>(Metric.class));
                    candidate.add(new EnumMap<>(Metric.class));
                }
                base.get(i).put(metric, pairs.get(i).get(0).asDouble());
                candidate.get(i).put(metric, pairs.get(i).get(1).asDouble());
            }
        }
        for (int i = 0; i < base.size(); i++) {
            pool.add(new Round(new MetricValues(base.get(i), Map.of()), new MetricValues(candidate.get(i), Map.of())));
        }
        return server;
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
