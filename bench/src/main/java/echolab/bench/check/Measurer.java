package echolab.bench.check;

import java.io.IOException;

/** Measures one version of one server once; the gate's only contact with servers (tests give it a fake). */
interface Measurer {

    enum Side { BASE, CANDIDATE }

    /** Called once per server before the rounds: warm-up and calibration (e.g. the open-loop rate). */
    void prepare(String server) throws IOException, InterruptedException;

    Sample measure(String server, Side side) throws IOException, InterruptedException;
}
