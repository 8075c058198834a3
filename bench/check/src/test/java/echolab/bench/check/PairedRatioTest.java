package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import echolab.bench.check.PairedRatio.Estimate;
import echolab.bench.check.PairedRatio.Rule;
import echolab.bench.check.PairedRatio.Verdict;

/** The gate's statistic on synthetic data whose answer is known. */
class PairedRatioTest {

    /** Log-ratios of candidate/base where the candidate is {@code factor} times the base, with multiplicative noise. */
    private static double[] rounds(int n, double factor, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] logs = new double[n];
        for (int i = 0; i < n; i++) {
            double base = 100 * (1 + noise * (random.nextDouble() - 0.5));
            double candidate = factor * 100 * (1 + noise * (random.nextDouble() - 0.5));
            logs[i] = PairedRatio.logRatio(base, candidate, 0);
        }
        return logs;
    }

    @Test
    void identicalMeasurementsPassWithAZeroIntervalAndTheSmallestMde() {
        Estimate r = PairedRatio.analyse(new double[] {0, 0, 0, 0, 0, 0}, Rule.COUNTER);
        assertEquals(0, r.change(), 1e-12);
        assertEquals(0, r.low(), 1e-12);
        assertEquals(0, r.high(), 1e-12);
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals(0.05, r.mde(), 1e-12, "with no spread, only a count's +5% floor is left");
        assertEquals(0.02, PairedRatio.analyse(new double[] {0, 0, 0, 0, 0, 0}, Rule.primary(0.05)).mde(), 1e-12, "and time's +2%");
    }

    @Test
    void aConstantRatioIsEstimatedExactly() {
        double[] logs = new double[8];
        Arrays.fill(logs, Math.log(1.2));
        Estimate r = PairedRatio.analyse(logs, Rule.primary(0.05));
        assertEquals(0.2, r.change(), 1e-12);
        assertEquals(0.2, r.low(), 1e-12);
        assertEquals(0.2, r.high(), 1e-12);
        assertEquals(Verdict.FAIL, r.verdict());
    }

    @Test
    void aClearTwentyFivePercentSlowdownFails() {
        Estimate r = PairedRatio.analyse(rounds(8, 1.25, 0.05, 7), Rule.primary(0.05));
        assertTrue(r.change() > 0.2 && r.change() < 0.3, "estimate " + r.change());
        assertTrue(r.low() > 0.10, "interval starts at " + r.low());
        assertEquals(Verdict.FAIL, r.verdict());
    }

    @Test
    void noChangeWithModestNoisePasses() {
        Estimate r = PairedRatio.analyse(rounds(10, 1.0, 0.10, 11), Rule.COUNTER);
        assertTrue(r.high() < 0.10, "interval ends at " + r.high());
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aSmallChangeInHeavyNoiseIsInconclusive() {
        Estimate r = PairedRatio.analyse(rounds(6, 1.12, 0.6, 5), Rule.COUNTER);
        assertTrue(r.low() < 0.02 && r.high() > 0.10, r.toString());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    }

    /** A disturbance that hits one side of two pairs in ten (another tenant, a compile) moves the mean, not the estimate. */
    @Test
    void twoWildPairsInTenDoNotMoveTheEstimate() {
        double[] logs = rounds(10, 1.0, 0.04, 3);
        logs[2] = Math.log(1.6);
        logs[7] = Math.log(1.5);
        double mean = Arrays.stream(logs).average().orElseThrow();
        Estimate r = PairedRatio.analyse(logs, Rule.COUNTER);
        assertTrue(Math.expm1(mean) > 0.08, "the mean is pulled to " + Math.expm1(mean));
        assertTrue(Math.abs(r.change()) < 0.02, "estimate " + r.change());
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aCountFailsWithItsIntervalAboveTwoPercentAndItsEstimateAtLeastFive() {
        assertEquals(Verdict.INCONCLUSIVE, PairedRatio.verdict(Math.log(1.04), Math.log(1.03), Math.log(1.11), Rule.COUNTER));
        assertEquals(Verdict.PASS, PairedRatio.verdict(Math.log(1.04), Math.log(1.03), Math.log(1.05), Rule.COUNTER), "sure, but small");
        assertEquals(Verdict.FAIL, PairedRatio.verdict(Math.log(1.06), Math.log(1.03), Math.log(1.09), Rule.COUNTER));
        assertEquals(Verdict.INCONCLUSIVE, PairedRatio.verdict(Math.log(1.06), Math.log(1.01), Math.log(1.11), Rule.COUNTER));
    }

    @Test
    void timeFailsWithItsIntervalAboveZeroAndItsEstimateAtLeastTwoAndPassesBelowFive() {
        assertEquals(Verdict.FAIL, PairedRatio.verdict(Math.log(1.035), Math.log(1.001), Math.log(1.05), Rule.primary(0.05)));
        assertEquals(Verdict.PASS, PairedRatio.verdict(Math.log(1.015), Math.log(1.001), Math.log(1.03), Rule.primary(0.05)), "sure, but small");
        assertEquals(Verdict.INCONCLUSIVE, PairedRatio.verdict(Math.log(1.035), Math.log(0.999), Math.log(1.06), Rule.primary(0.05)));
        assertEquals(Verdict.INCONCLUSIVE, PairedRatio.verdict(Math.log(1.0), Math.log(0.96), Math.log(1.051), Rule.primary(0.05)),
                "a +5% slowdown is not ruled out");
    }

    @Test
    void theMdeShrinksWithTheRoundsAsOneOverTheirSquareRoot() {
        double se = 0.04;
        assertTrue(PairedRatio.mde(se, 20, Rule.primary(0.05)) < PairedRatio.mde(se, 10, Rule.primary(0.05)));
        assertTrue(PairedRatio.mde(se / 2, 10, Rule.primary(0.05)) < PairedRatio.mde(se, 10, Rule.primary(0.05)));
    }

    @Test
    void theRoundsToPassAreTheFewestThatBringTheTopOfTheIntervalBelowTheTarget() {
        Estimate wide = PairedRatio.analyse(rounds(6, 1.0, 0.12, 13), Rule.primary(0.05));
        int more = PairedRatio.roundsToPass(wide, Rule.primary(0.05));
        assertTrue(more > 0, wide.toString());
        double se = wide.logStandardError() * Math.sqrt(6.0 / (6 + more));
        double seBefore = wide.logStandardError() * Math.sqrt(6.0 / (6 + more - 1));
        assertTrue(wide.logEstimate() + 1.5 * se < Math.log(1.05), "the top falls below the target");
        assertTrue(seBefore > se);
        Estimate slow = PairedRatio.analyse(rounds(6, 1.08, 0.02, 13), Rule.primary(0.05));
        assertEquals(0, PairedRatio.roundsToPass(slow, Rule.primary(0.05)), "an estimate above the target never passes: " + slow);
    }

    /**
     * The MDE means what it says: with a known spread and a true change equal to the MDE, about nine
     * runs in ten FAIL; a true change of zero almost never does for a count, and for time at most as often
     * as the interval's lower end is wrong (2.5%), before the gate's confirming rounds.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(names = {"PRIMARY", "COUNTER"})
    void aTrueChangeOfTheMdeFailsAboutNineTimesInTen(Metric.Role role) {
        Rule rule = role == Metric.Role.PRIMARY ? Rule.primary(0.05) : Rule.COUNTER;
        int n = 12;
        double sigma = 0.05;
        SplittableRandom random = new SplittableRandom(862);
        double[] ses = new double[400];
        for (int i = 0; i < ses.length; i++) {
            ses[i] = PairedRatio.analyse(normal(random, n, 0, sigma), rule).logStandardError();
        }
        Arrays.sort(ses);
        double mde = PairedRatio.mde(ses[ses.length / 2], n, rule);
        int failed = 0;
        int falseAlarms = 0;
        int runs = 2000;
        for (int i = 0; i < runs; i++) {
            failed += PairedRatio.analyse(normal(random, n, Math.log1p(mde), sigma), rule).verdict() == Verdict.FAIL ? 1 : 0;
            falseAlarms += PairedRatio.analyse(normal(random, n, 0, sigma), rule).verdict() == Verdict.FAIL ? 1 : 0;
        }
        double power = failed / (double) runs;
        assertTrue(power > 0.82 && power < 0.97, "a true change of the MDE (" + mde + ") failed in " + power + " of runs");
        assertTrue(falseAlarms / (double) runs < (role == Metric.Role.PRIMARY ? 0.03 : 0.01), falseAlarms + " false alarms in " + runs);
    }

    @Test
    void countsThatMayBeZeroUseAnOffsetRatio() {
        assertEquals(0, PairedRatio.logRatio(0, 0, 1), 1e-12);
        assertEquals(Math.log(2), PairedRatio.logRatio(0, 1, 1), 1e-12);
    }

    private static double[] normal(SplittableRandom random, int n, double mean, double sigma) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            x[i] = mean + sigma * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        }
        return x;
    }
}
