package echolab.bench.check;

import java.io.IOException;
import java.util.Random;

/** Measures base and candidate of one server in one round; the gate's only contact with servers (tests give it a fake). */
interface Measurer {

    enum Side { BASE, CANDIDATE }

    /** Called once per server before the rounds: warm-up and calibration (e.g. the open-loop rate). */
    void prepare(String server) throws IOException, InterruptedException;

    /**
     * One round of one server: base and candidate measured in the same stretch of time, so that what the
     * machine does meanwhile hits both; {@code order} decides who goes first wherever order matters.
     * The open loop, which only reports, is measured when {@code openLoop} is true.
     *
     * @return the two samples, indexed by {@link Side#ordinal()}
     */
    MetricValues[] measureRound(String server, Random order, boolean openLoop) throws IOException, InterruptedException;

    /** The clock the servers' CPU time was read with, as the reports name it. */
    String cpuClock();
}
