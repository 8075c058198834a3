package echolab.bench.capacity;

import java.util.ArrayList;
import java.util.List;

import echolab.bench.load.LatencySummary;
import echolab.bench.load.LoadGenerator;
import echolab.bench.results.Target;
import echolab.bench.results.Trial;
import echolab.bench.results.Trial.SearchPoint;
import echolab.bench.results.Trial.SearchPoint.Phase;

/**
 * The search for the highest open-loop rate at which a server keeps a latency percentile under a target:
 * double the rate while the target is met; then bisect between the highest rate that met it and the
 * lowest that did not until they are within the precision (a miss is measured twice before it is believed,
 * the confirmation's too, and connections never answered, twice, end the search: no rate cures them); then
 * confirm the answer with a second trial
 * at that rate (a confirmation that fails lowers the answer by the precision and tries again, at most
 * {@value #CONFIRMATIONS} times). A trial meets the target when every message planned in its window was
 * answered, its connections all served, the rate delivered, and the percentile (of the latency counted from
 * the planned send) at or under the target. A trial that missed because of the generator (its thread
 * saturated, or its own lateness in sending past a quarter of the target and all that kept the latency
 * over it) counts as a miss for the bisection; when the lowest rate missed was the generator's, the answer
 * is a lower bound: the server sustains at least the rate confirmed, and the generator could not go faster.
 */
public final class RateSearch {

    static final int CONFIRMATIONS = 3;
    /** A generator whose own lateness (send lag) at the target's percentile exceeds this share of the target is the limit. */
    static final double GENERATOR_SHARE = LoadGenerator.SEND_LAG_SHARE;
    /** Below this share of the planned rate, a trial did not deliver its rate. */
    static final double DELIVERED = 0.97;

    /** Measures one trial at {@code rate}: the load generator's open loop against the server. */
    @FunctionalInterface
    public interface Trials {
        Trial at(double rate, int round) throws InterruptedException;
    }

    /** Every trial of the search, in order, each with its {@link SearchPoint}, and the answer. */
    public record Result(List<Trial> trials, Target.Answer answer) {
    }

    private final Target.Settings settings;
    private final int maxTrials;

    public RateSearch(Target.Settings settings, int maxTrials) {
        this.settings = settings;
        this.maxTrials = maxTrials;
    }

    public Result run(String server, Trials trials) throws InterruptedException {
        List<Trial> done = new ArrayList<>();
        double met = 0;                   // the highest rate that met the target
        double missed = Double.POSITIVE_INFINITY;
        Trial missedBy = null;            // the trial that missed at the lowest rate: the generator's limit, or the server's
        LatencySummary metLatency = null;
        double rate = settings.startRate();
        while (done.size() < maxTrials) {
            Trial t = measure(trials, rate, Phase.GROW, done);
            if (starved(t)) {
                return new Result(done, new Target.Answer(server, null, false, point(t).why() + " (at any rate: fewer would not "
                        + "serve them)", null));
            }
            if (!point(t).meets()) {
                missed = rate;
                missedBy = t;
                break;
            }
            met = rate;
            metLatency = t.load().latencyMicros();
            rate *= 2;
        }
        double floor = settings.startRate() / 64;
        while (done.size() < maxTrials && (met == 0 ? missed > floor : (missed - met) / met > settings.precision())) {
            rate = met == 0 ? missed / 2 : (met + missed) / 2;
            Trial t = measure(trials, rate, Phase.BISECT, done);
            if (point(t).meets()) {
                met = rate;
                metLatency = t.load().latencyMicros();
            } else {
                missed = rate;
                missedBy = t;
            }
        }
        if (met == 0) {
            Trial last = done.get(done.size() - 1);
            if (point(last).generatorLimited()) {
                return new Result(done, limited(server, 0, null, last));
            }
            return new Result(done, new Target.Answer(server, null, false, String.format("no rate down to %,.0f msg/s met the target: %s",
                    missed, point(last).why()), null));
        }
        double found = met;
        List<String> tried = new ArrayList<>();
        for (int i = 0; i < CONFIRMATIONS; i++) {                      // each with its recheck: at most six trials more
            Trial t = measure(trials, met, Phase.CONFIRM, done);
            if (point(t).meets()) {
                return new Result(done, missedBy != null && point(missedBy).generatorLimited()
                        ? limited(server, met, t.load().latencyMicros(), missedBy)
                        : new Target.Answer(server, met, false, null, t.load().latencyMicros()));
            }
            tried.add(String.format("%,.0f", met));
            met = met / (1 + settings.precision());
        }
        return new Result(done, new Target.Answer(server, null, false, String.format("met the target at %,.0f msg/s, but not again "
                + "when confirmed at %s msg/s: the machine was too noisy for this precision", found, String.join(", ", tried)), null));
    }

    /**
     * A trial at {@code rate}; a miss is measured once more ({@link Phase#RECHECK}), and the second trial
     * decides: one stall of the server, or of the generator, or a backlog left by the trial before, is not a limit.
     */
    private Trial measure(Trials trials, double rate, Phase phase, List<Trial> done) throws InterruptedException {
        Trial t = trials.at(rate, done.size() + 1);
        Trial judged = t.with(new Trial.Figures.Point(judge(t, rate, phase)));
        done.add(judged);
        if (!point(judged).meets()) {
            Trial again = trials.at(rate, done.size() + 1);
            judged = again.with(new Trial.Figures.Point(judge(again, rate, Phase.RECHECK)));
            done.add(judged);
        }
        return judged;
    }

    /** The search point of a trial this search judged. */
    private static Trial.SearchPoint point(Trial t) {
        return t.point().orElseThrow();
    }

    private static boolean starved(Trial t) {
        return t.load() != null && t.load().starvedConnections() > 0;
    }

    /** Whether {@code t}, planned at {@code rate}, met the target; and why not, in words. */
    SearchPoint judge(Trial t, double rate, Phase phase) {
        if (t.load() == null) {
            return new SearchPoint(phase, rate, 0, null, false, false, "failed: " + t.error());
        }
        double achieved = t.throughput();
        Double latency = t.latency(settings.percentile());
        String why = null;
        if (t.status() == Trial.Status.FAILED) {
            why = "failed: " + t.error();
        } else if (t.load().starvedConnections() > 0) {
            why = t.load().starvedConnections() + " of " + t.load().connectionsRequested() + " connections never answered";
        } else if (t.load().errors().unansweredMessages() > 0) {
            why = t.load().errors().unansweredMessages() + " messages unanswered";
        } else if (achieved < DELIVERED * rate) {
            why = String.format("delivered %,.0f of %,.0f msg/s", achieved, rate);
        } else if (latency == null || latency > settings.targetMicros()) {
            why = String.format("%s %s us over the target %s us", settings.percentile().name().toLowerCase(),
                    latency == null ? "?" : String.format("%,.0f", latency), String.format("%,.0f", settings.targetMicros()));
        }
        LatencySummary lag = t.load().generator().sendLagMicros();
        double lagAt = lag == null || lag.count() == 0 ? 0 : lag.at(settings.percentile());
        // The generator's lateness is the limit when it is a fair share of the target and the server, its lateness taken
        // away, would have met it.
        boolean lagging = lagAt > settings.targetMicros() * GENERATOR_SHARE && latency != null && latency - lagAt <= settings.targetMicros();
        boolean generatorLimited = why != null && (t.generatorBound() || lagging);
        if (generatorLimited) {
            why += t.generatorBound() ? "; the generator's thread was saturated"
                    : String.format("; the generator itself sent late (%s of its send lag %,.0f us)",
                            settings.percentile().name().toLowerCase(), lagAt);
        }
        return new SearchPoint(phase, rate, achieved, latency, why == null, generatorLimited, why);
    }

    private static Target.Answer limited(String server, double met, LatencySummary latency, Trial t) {
        if (met == 0) {
            return new Target.Answer(server, null, true, String.format("the generator could not keep its schedule even at %,.0f msg/s "
                    + "(%s): try a lower --start-rate, or a quieter machine", point(t).rate(), point(t).why()), null);
        }
        return new Target.Answer(server, met, true, String.format("the generator could not go faster at %,.0f msg/s (%s): the server "
                + "sustains at least %,.0f", point(t).rate(), point(t).why(), met), latency);
    }
}
