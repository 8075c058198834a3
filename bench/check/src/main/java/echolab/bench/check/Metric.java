package echolab.bench.check;

import echolab.bench.results.Figure;
import echolab.bench.results.Unit;

/**
 * What the gate compares, each oriented so that higher is worse, and the part each plays.
 *
 * <p>Time and CPU per message are what a user feels; they move with the machine's noise, so they set
 * whether a run could have seen a regression at all (NOISY when not). The kernel's and the JVM's
 * counters barely move from run to run, so they catch what they can see in a round or two:
 * a system call or a context switch more per echo, an allocation, a thread. Reported but not judged, and
 * not steering the rounds: the open-loop percentiles at a fixed rate (over 1 s runs on a shared machine
 * their paired ratios swing by a factor of two and more, and no affordable number of rounds settles them)
 * and involuntary context switches (the scheduler taking the core: they follow the machine's load).
 */
enum Metric {
    US_PER_MESSAGE("usPerMessage", "time per message (closed loop), µs", Unit.CPU_PER_MESSAGE, Role.PRIMARY, 0),
    CPU_US_PER_MESSAGE("cpuUsPerMessage", Figure.CPU_PER_MESSAGE, Role.PRIMARY, 0),
    // Where CPU time comes from a cgroup (ns), the kernel's tick clock (10 ms) is reported beside it, so
    // that the two clocks' spread over the same rounds can be compared from check.json.
    CPU_TICK_US_PER_MESSAGE("cpuTickUsPerMessage", "server CPU per message by the 10 ms tick (beside the cgroup's, for comparison)",
            Unit.CPU_PER_MESSAGE, Role.REPORTED, 0),
    READ_CALLS_PER_MESSAGE("readCallsPerMessage", Figure.READ_CALLS, Role.COUNTER, 0.01),
    WRITE_CALLS_PER_MESSAGE("writeCallsPerMessage", Figure.WRITE_CALLS, Role.COUNTER, 0.01),
    BYTES_READ_PER_MESSAGE("bytesReadPerMessage", Figure.BYTES_READ, Role.COUNTER, 1),
    BYTES_WRITTEN_PER_MESSAGE("bytesWrittenPerMessage", Figure.BYTES_WRITTEN, Role.COUNTER, 1),
    // Switches are compared with an offset of a tenth of a switch per message: a thread woken per echo
    // (about one per message) counts; the few hundredths that come and go with the machine do not.
    VOLUNTARY_SWITCHES_PER_MESSAGE("voluntarySwitchesPerMessage", Figure.VOLUNTARY_SWITCHES, Role.COUNTER, 0.1),
    // The scheduler taking the core follows the machine's load, not the code: reported, not judged.
    INVOLUNTARY_SWITCHES_PER_MESSAGE("involuntarySwitchesPerMessage", Figure.INVOLUNTARY_SWITCHES, Role.REPORTED, 0.1),
    // Allocation is the JVM's over the whole run divided by the messages echoed: a server that allocates nothing per
    // echo still shows tens of bytes per message (the compiler's, the runtime's), spread over fewer messages when the
    // server is slower. Compared with an offset of 128 B a message: an object per echo (16 B and up) counts; the
    // same allocation spread over fewer messages, a few bytes, does not.
    ALLOC_BYTES_PER_MESSAGE("allocBytesPerMessage", "bytes allocated per message (whole run)", Unit.BYTES_PER_MESSAGE, Role.COUNTER, 128),
    THREADS_STARTED("threadsStarted", "threads started (whole run)", Unit.COUNT, Role.COUNTER, 1),
    OPEN_P50_US("openP50Us", "open-loop p50 at a fixed rate, µs", Unit.LATENCY, Role.REPORTED, 0),
    OPEN_P99_US("openP99Us", Figure.OPEN_P99, Role.REPORTED, 0);

    /** PRIMARY and COUNTER metrics steer the rounds and can fail the gate; REPORTED ones are shown only. */
    enum Role { PRIMARY, COUNTER, REPORTED;

        boolean steers() {
            return this != REPORTED;
        }
    }

    /** The name in check.json and the table. */
    final String key;
    final String description;
    /** How its values are written: the catalogue's unit for a figure the bench also reports. */
    final Unit unit;
    final Role role;
    /** Added to both sides of the ratio, so that a count that may be zero (or nearly) compares sensibly. */
    final double offset;

    /** A figure of the catalogue, measured by the gate in its own windows. */
    Metric(String key, Figure figure, Role role, double offset) {
        this(key, figure.description, figure.unit, role, offset);
    }

    /** A figure only the gate measures (its own time per message, what the stop summary counts). */
    Metric(String key, String description, Unit unit, Role role, double offset) {
        this.key = key;
        this.description = description;
        this.unit = unit;
        this.role = role;
        this.offset = offset;
    }

    double logRatio(double base, double candidate) {
        return PairedRatio.logRatio(base, candidate, offset);
    }
}
