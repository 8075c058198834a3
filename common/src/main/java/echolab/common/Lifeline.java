package echolab.common;

import java.util.Optional;

/**
 * Ends this process when the echo-lab tool that started it is gone, however it went (SIGKILL, the OOM
 * killer, a CI job's hard timeout), so that no server, peer or helper outlives its tool. A tool asks for
 * it by setting {@value #ENV} to its own PID in the child's environment; a process started any other way
 * (a server started by hand) is left alone.
 *
 * <p>How the child notices: when a process dies, the kernel gives its children a new parent (init, or a
 * subreaper). A daemon thread reads this process's parent every {@value #POLL_MILLIS} ms and halts the JVM
 * once it is no longer the one it started under. No PID is reused in between, so there is no false alarm;
 * a grandchild that inherited the variable watches its own parent the same way.
 */
public final class Lifeline {

    public static final String ENV = "ECHOLAB_PARENT_PID";
    static final long POLL_MILLIS = 100;
    private static final java.util.concurrent.atomic.AtomicBoolean WATCHING = new java.util.concurrent.atomic.AtomicBoolean();

    private Lifeline() {
    }

    /**
     * Starts watching if {@value #ENV} is set (once per JVM; later calls do nothing); {@code name} is how the
     * one line on stderr names this process.
     */
    public static void watchIfAsked(String name) {
        String asked = System.getenv(ENV);
        if (asked == null || asked.isBlank() || !WATCHING.compareAndSet(false, true)) {
            return;
        }
        long expected;
        try {
            expected = Long.parseLong(asked.strip());
        } catch (NumberFormatException e) {
            return;
        }
        if (!isDescendantOf(expected)) {
            gone(name, expected);                 // the tool died before this process could look
        }
        long parent = parent();
        Thread.ofPlatform().daemon().name("echolab-lifeline").start(() -> {
            long now;
            while ((now = parent()) == parent || now == UNKNOWN) {   // unknown: /proc could not be read (out of descriptors)
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            gone(name, parent);
        });
    }

    /** What {@link #parent()} returns when it cannot tell: the JDK reads /proc, which a process out of descriptors cannot open. */
    private static final long UNKNOWN = -1;

    private static long parent() {
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        return p.map(ProcessHandle::pid).orElse(UNKNOWN);
    }

    private static boolean isDescendantOf(long pid) {
        for (Optional<ProcessHandle> p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == pid) {
                return true;
            }
        }
        return false;
    }

    private static void gone(String name, long parent) {
        System.err.println(name + ": the process that started it (pid " + parent + ") is gone; exiting");
        Runtime.getRuntime().halt(70);
    }
}
