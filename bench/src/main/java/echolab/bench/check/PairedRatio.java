package echolab.bench.check;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The gate's statistic. Each round measures base and candidate back to back, so each round gives one
 * paired log-ratio ln(candidate / base); machine drift between rounds cancels within a pair. The
 * estimate is the mean log-ratio, with a percentile bootstrap confidence interval over the rounds.
 * Seeded: the same numbers and seed give the same interval, so a rerun gives the same verdict.
 *
 * <p>Metrics are oriented so that higher means worse; a change is reported as exp(x) - 1.
 */
public final class PairedRatio {

    public enum Verdict { PASS, INCONCLUSIVE, FAIL }

    /** FAIL needs the whole interval above +10% and the estimate at least +15%; PASS the whole interval below +10%. */
    public static final double THRESHOLD = 0.10;
    public static final double FAIL_ESTIMATE = 0.15;
    public static final double CONFIDENCE = 0.99;
    public static final int RESAMPLES = 10_000;

    public record Result(int rounds, double change, double low, double high, Verdict verdict) {
    }

    private PairedRatio() {
    }

    /** ln(candidate / base); for counts that may be zero (allocation, threads) use {@link #logRatioOfCounts}. */
    public static double logRatio(double base, double candidate) {
        return Math.log(candidate / base);
    }

    public static double logRatioOfCounts(double base, double candidate) {
        return Math.log((candidate + 1) / (base + 1));
    }

    public static Result analyse(double[] logRatios, long seed) {
        int n = logRatios.length;
        if (n == 0) {
            return new Result(0, Double.NaN, Double.NaN, Double.NaN, Verdict.INCONCLUSIVE);
        }
        double point = mean(logRatios);
        double[] means = new double[RESAMPLES];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += logRatios[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        double tail = (1 - CONFIDENCE) / 2;
        double low = means[(int) Math.floor(tail * (RESAMPLES - 1))];
        double high = means[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))];
        return new Result(n, Math.expm1(point), Math.expm1(low), Math.expm1(high), verdict(point, low, high));
    }

    static Verdict verdict(double point, double low, double high) {
        double threshold = Math.log1p(THRESHOLD);
        if (low > threshold && point >= Math.log1p(FAIL_ESTIMATE)) {
            return Verdict.FAIL;
        }
        if (high < threshold) {
            return Verdict.PASS;
        }
        return Verdict.INCONCLUSIVE;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
