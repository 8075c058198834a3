package echolab.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import echolab.bench.check.PairedRatio.Result;
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
            logs[i] = PairedRatio.logRatio(base, candidate);
        }
        return logs;
    }

    @Test
    void identicalMeasurementsPassWithAZeroInterval() {
        Result r = PairedRatio.analyse(new double[] {0, 0, 0, 0, 0, 0}, 1);
        assertEquals(0, r.change(), 1e-12);
        assertEquals(0, r.low(), 1e-12);
        assertEquals(0, r.high(), 1e-12);
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aConstantRatioIsEstimatedExactly() {
        double[] logs = new double[8];
        java.util.Arrays.fill(logs, Math.log(1.2));
        Result r = PairedRatio.analyse(logs, 1);
        assertEquals(0.2, r.change(), 1e-12);
        assertEquals(0.2, r.low(), 1e-12);
        assertEquals(0.2, r.high(), 1e-12);
        assertEquals(Verdict.FAIL, r.verdict());
    }

    @Test
    void aClearTwentyFivePercentSlowdownFails() {
        Result r = PairedRatio.analyse(rounds(8, 1.25, 0.05, 7), 3);
        assertTrue(r.change() > 0.2 && r.change() < 0.3, "estimate " + r.change());
        assertTrue(r.low() > 0.10, "interval starts at " + r.low());
        assertEquals(Verdict.FAIL, r.verdict());
    }

    @Test
    void noChangeWithModestNoisePasses() {
        Result r = PairedRatio.analyse(rounds(10, 1.0, 0.10, 11), 3);
        assertTrue(r.high() < 0.10, "interval ends at " + r.high());
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aSmallChangeInHeavyNoiseIsInconclusive() {
        Result r = PairedRatio.analyse(rounds(4, 1.12, 0.6, 5), 3);
        assertTrue(r.low() < 0.10 && r.high() > 0.10, r.toString());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    }

    @Test
    void anIntervalAboveTheThresholdWithASmallEstimateIsNotAFail() {
        // Interval wholly above +10% but estimate below +15%: the verdict needs both.
        assertEquals(Verdict.INCONCLUSIVE, PairedRatio.verdict(Math.log(1.13), Math.log(1.11), Math.log(1.16)));
        assertEquals(Verdict.FAIL, PairedRatio.verdict(Math.log(1.16), Math.log(1.11), Math.log(1.2)));
        assertEquals(Verdict.PASS, PairedRatio.verdict(Math.log(1.05), Math.log(1.01), Math.log(1.09)));
    }

    @Test
    void theSameNumbersAndSeedGiveTheSameInterval() {
        double[] logs = rounds(7, 1.08, 0.3, 9);
        assertEquals(PairedRatio.analyse(logs, 42), PairedRatio.analyse(logs, 42));
    }

    @Test
    void countsThatMayBeZeroUseAnOffsetRatio() {
        assertEquals(0, PairedRatio.logRatioOfCounts(0, 0), 1e-12);
        assertEquals(Math.log(2), PairedRatio.logRatioOfCounts(0, 1), 1e-12);
    }
}
