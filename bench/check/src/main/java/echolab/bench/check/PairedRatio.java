package echolab.bench.check;

import java.util.Arrays;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The gate's statistic. Each round measures base and candidate back to back, in a random order, so each
 * round gives one paired log-ratio ln(candidate / base); machine drift between rounds cancels within a
 * pair. On a shared machine most pairs scatter by a few percent and a few are hit by a disturbance
 * (another tenant, a compile on the other core) that moves one side by 30% or more. The mean would
 * follow those; the estimate is the 20% trimmed mean, with Yuen's confidence interval (a t interval on
 * the winsorized spread), which keeps its coverage when a fifth of the pairs are wild.
 *
 * <p>Metrics are oriented so that higher means worse; a change is reported as exp(x) - 1. Each is judged
 * by the {@link Rule} of its part (see {@link Metric.Role}):
 *
 * <ul>
 *   <li>FAIL: the interval lies wholly above the rule's floor and the estimate is at least its least
 *       regression (the gate then confirms it with more rounds before it believes it).
 *   <li>PASS: the interval lies wholly below the rule's bound.
 *   <li>INCONCLUSIVE otherwise.
 * </ul>
 *
 * <p>The minimum detectable effect (MDE) is the smallest true slowdown that this spread and this number
 * of rounds would FAIL nine times in ten. A PASS means "no regression larger than the MDE".
 */
public final class PairedRatio {

    public enum Verdict { PASS, INCONCLUSIVE, FAIL }

    /**
     * When a metric fails and passes, in percent. FAIL: the interval wholly above {@code failAbove} and the
     * estimate at least {@code failEstimate}; PASS: the interval wholly below {@code passBelow}.
     */
    public record Rule(double failAbovePercent, double failEstimatePercent, double passBelowPercent) {

        /**
         * Time and CPU per message: a slowdown is failed once the interval lies above none at all (no margin:
         * the confirming rounds keep chance crossings out), if it is at least 2%. PASS rules out the target
         * (a fraction; 5% unless the user says otherwise).
         */
        public static Rule primary(double target) {
            return new Rule(0, 2, 100 * target);
        }

        /**
         * The kernel's and the JVM's counts: they barely move between runs, and what they catch (a system call,
         * an allocation per echo) is large, so they fail only on a clear change of 5% or more.
         */
        public static final Rule COUNTER = new Rule(2, 5, 10);

        double logFailAbove() {
            return Math.log1p(failAbovePercent / 100.0);
        }

        double logFailEstimate() {
            return Math.log1p(failEstimatePercent / 100.0);
        }

        double logPassBelow() {
            return Math.log1p(passBelowPercent / 100.0);
        }
    }

    /** A run could not have seen a regression of this size when a primary metric's MDE is above it: NOISY. */
    public static final int NOISY_ABOVE_PERCENT = 10;
    public static final double NOISY_ABOVE = NOISY_ABOVE_PERCENT / 100.0;
    /**
     * The interval reported: two-sided 90%, so that its top is a one-sided 95% upper bound, the convention
     * of an equivalence test: "no regression larger than its top" is wrong at most one time in twenty.
     */
    public static final double CONFIDENCE = 0.90;
    /**
     * FAIL asks more of the lower side: wrong at most 2.5% of the time for one metric, shared among the
     * primary metrics of a run (see {@link #analyse(double[], Rule, int)}); a FAIL is further confirmed by
     * more rounds before the gate believes it (see Gate).
     */
    public static final double FAIL_ALPHA = 0.025;
    /** The MDE is the slowdown failed with this probability. */
    public static final double POWER = 0.90;
    public static final double TRIM = 0.20;

    /**
     * @param change the estimate, as a fraction (+0.12 is 12% worse); low and high bound its interval
     * @param mde the minimum detectable effect, as a fraction
     * @param logEstimate the estimate and its standard error on the log scale, for projections
     */
    public record Estimate(int rounds, double change, double low, double high, double mde, Verdict verdict,
                         double logEstimate, double logStandardError) {
    }

    private PairedRatio() {
    }

    /** ln(candidate / base), with {@code offset} added to both (0 for times; 1 for counts that may be zero). */
    public static double logRatio(double base, double candidate, double offset) {
        return Math.log((candidate + offset) / (base + offset));
    }

    public static Estimate analyse(double[] logRatios, Rule rule) {
        return analyse(logRatios, rule, 1);
    }

    /**
     * As {@link #analyse(double[], Rule)}, for one of {@code family} metrics judged together: FAIL asks the
     * interval to lie above the rule's floor at a confidence of 1 - 5% / family on its lower side (Bonferroni),
     * so that the chance of any of them failing by chance stays at 2.5% per look however many there are. The
     * reported interval stays the 90% one.
     */
    public static Estimate analyse(double[] logRatios, Rule rule, int family) {
        int n = logRatios.length;
        if (n < 3) {
            return new Estimate(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.INCONCLUSIVE, Double.NaN, Double.NaN);
        }
        double[] x = logRatios.clone();
        Arrays.sort(x);
        int g = trimmed(n);
        int h = n - 2 * g;
        double sum = 0;
        for (int i = g; i < n - g; i++) {
            sum += x[i];
        }
        double estimate = sum / h;
        double[] w = x.clone();                               // winsorized: the trimmed ends set to the nearest kept value
        Arrays.fill(w, 0, g, x[g]);
        Arrays.fill(w, n - g, n, x[n - g - 1]);
        double mean = Arrays.stream(w).average().orElse(0);
        double squares = Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum();
        double se = Math.sqrt(squares / (h * (double) (h - 1)));   // Yuen: (n-1) s_w^2 / (h (h-1)), s_w^2 = squares / (n-1)
        double q = quantile(h - 1, 1 - (1 - CONFIDENCE) / 2);
        double low = estimate - q * se;
        double high = estimate + q * se;
        double failLow = estimate - quantile(h - 1, 1 - FAIL_ALPHA / Math.max(1, family)) * se;
        return new Estimate(n, Math.expm1(estimate), Math.expm1(low), Math.expm1(high), mde(se, n, rule),
                verdict(estimate, failLow, high, rule), estimate, se);
    }

    /** The smallest true change (a fraction) that FAILs with probability {@link #POWER}, given a standard error over n rounds. */
    public static double mde(double logStandardError, int n, Rule rule) {
        int df = n - 2 * trimmed(n) - 1;
        double q = quantile(df, 1 - FAIL_ALPHA);
        double z = quantile(df, POWER);
        return Math.expm1(Math.max(rule.logFailAbove() + (q + z) * logStandardError, rule.logFailEstimate() + z * logStandardError));
    }

    /**
     * How many more rounds would bring the top of the interval below the rule's bound if the estimate and
     * the spread stayed as they are; 0 when none would (the estimate is at the bound or above it, or it
     * would take more than {@value #FARTHEST} rounds).
     */
    public static int roundsToPass(Estimate r, Rule rule) {
        if (!(r.logEstimate() < rule.logPassBelow())) {
            return 0;
        }
        for (int n = r.rounds() + 1; n <= r.rounds() + FARTHEST; n++) {
            double se = r.logStandardError() * Math.sqrt(r.rounds() / (double) n);
            if (r.logEstimate() + quantile(n - 2 * trimmed(n) - 1, 1 - (1 - CONFIDENCE) / 2) * se < rule.logPassBelow()) {
                return n - r.rounds();
            }
        }
        return 0;
    }

    /** The farthest {@link #roundsToPass} looks ahead. */
    static final int FARTHEST = 200;

    static Verdict verdict(double estimate, double low, double high, Rule rule) {
        if (low > rule.logFailAbove() && estimate >= rule.logFailEstimate()) {
            return Verdict.FAIL;
        }
        if (high < rule.logPassBelow()) {
            return Verdict.PASS;
        }
        return Verdict.INCONCLUSIVE;
    }

    private static int trimmed(int n) {
        return (int) Math.floor(TRIM * n);
    }

    private static double quantile(int degreesOfFreedom, double p) {
        return TDistribution.of(Math.max(1, degreesOfFreedom)).inverseCumulativeProbability(p);
    }
}
