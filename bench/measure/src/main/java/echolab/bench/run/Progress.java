package echolab.bench.run;

import java.util.List;

import echolab.bench.results.Format;

/** One line per step on stderr: step count, percent done, elapsed time and an ETA. */
final class Progress {

    private final List<Double> planned;
    private final double plannedTotal;
    private final long startNanos = System.nanoTime();
    private double plannedDone;
    private int step;

    Progress(List<Double> planned) {
        this.planned = planned;
        this.plannedTotal = planned.stream().mapToDouble(Double::doubleValue).sum();
    }

    void starting(String label) {
        System.err.printf("[%3d/%d %3.0f%% %s, ETA %s] %s ...%n", step + 1, planned.size(),
                100 * plannedDone / plannedTotal, Format.seconds(elapsedSeconds()), Format.seconds(etaSeconds()), label);
    }

    void done(String label, String outcome) {
        if (step < planned.size()) {
            plannedDone += planned.get(step);
        }
        step++;
        System.err.printf("      %s: %s%n", label, outcome);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Remaining planned time, scaled by how the run has kept to plan so far. */
    private double etaSeconds() {
        double remaining = Math.max(0, plannedTotal - plannedDone);
        double pace = plannedDone > 0 ? elapsedSeconds() / plannedDone : 1.0;
        return remaining * Math.max(0.5, Math.min(pace, 3.0));
    }
}
