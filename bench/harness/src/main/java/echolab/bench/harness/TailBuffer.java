package echolab.bench.harness;

/**
 * The last {@code capacity} characters of a stream: a chatty child can print as much as it likes, and
 * what it printed last (a stop summary, the error that ended it) is still there. Thread-safe.
 */
public final class TailBuffer {

    private final int capacity;
    private final StringBuilder text = new StringBuilder();
    private long dropped;

    public TailBuffer(int capacity) {
        this.capacity = capacity;
    }

    synchronized void append(String s) {
        text.append(s);
        if (text.length() > capacity) {
            int cut = text.length() - capacity;
            dropped += cut;
            text.delete(0, cut);
        }
    }

    public synchronized String text() {
        return dropped == 0 ? text.toString() : "[" + dropped + " earlier characters dropped]\n" + text;
    }
}
