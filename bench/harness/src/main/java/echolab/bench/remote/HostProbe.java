package echolab.bench.remote;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import echolab.bench.harness.Ssh;

/**
 * What a host offers before any load starts, learnt in one ssh session: whether echo-lab's checkout is where it
 * is looked for, at which commit, and built; how far the host's clock is from this one's (from the quickest of
 * eight round trips over the open session: the host's time minus the middle of the trip, give or take half
 * the trip); and how long the session took to open.
 *
 * @param problem what stops the host from generating load, with what to do; null when nothing does
 */
record HostProbe(String host, String problem, String commit, double offsetMillis, double uncertaintyMillis, double sessionSeconds) {

    private static final int ROUND_TRIPS = 8;

    static HostProbe of(Ssh ssh, String host, String remoteDir, Duration timeout) throws InterruptedException {
        String script = "if cd " + Ssh.quoted(remoteDir) + " 2>/dev/null; then echo \"commit $(git rev-parse HEAD 2>/dev/null || echo unknown)\"; "
                + "if [ -f bench/load/target/echo-load.jar ] && [ -x ./echolab ]; then echo built; else echo unbuilt; fi; else echo nodir; fi; "
                + "for i in $(seq " + ROUND_TRIPS + "); do read x || exit 0; date +%s%N; done";
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Session session;
        try {
            session = Session.start(ssh.command(host, script), "probe-" + host);
        } catch (IOException e) {
            return failed(host, "cannot run ssh here: " + e.getMessage() + " (Debian: apt-get install openssh-client)");
        }
        try (session) {
            String first = session.next(deadline);
            double sessionSeconds = (System.nanoTime() - started) / 1e9;
            if (first == null) {
                session.process().waitFor(2, TimeUnit.SECONDS);
                return failed(host, session.ended() ? Ssh.whyNot(host, session.stderr())
                        : "no answer over ssh within " + timeout.toSeconds() + " s");
            }
            if (first.equals("nodir")) {
                return failed(host, "no echo-lab checkout at " + remoteDir + " there: clone it there and build it "
                        + "(mvn -q install -DskipTests), or name its place with --remote-dir");
            }
            String commit = first.startsWith("commit ") ? first.substring("commit ".length()).strip() : "unknown";
            if (!"built".equals(session.next(deadline))) {
                return failed(host, "echo-lab at " + remoteDir + " there is not built: run (cd " + remoteDir
                        + " && mvn -q install -DskipTests) there");
            }
            double bestTrip = Double.MAX_VALUE;
            double offset = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                long before = epochNanos();
                session.send("");
                String remote = session.next(deadline);
                long after = epochNanos();
                if (remote == null || !remote.matches("\\d+")) {
                    return failed(host, "its clock could not be read (date +%s%N said " + remote + ")");
                }
                double trip = (after - before) / 1e6;
                if (trip < bestTrip) {
                    bestTrip = trip;
                    offset = (Long.parseLong(remote) - (before + after) / 2.0) / 1e6;
                }
            }
            return new HostProbe(host, null, commit, offset, bestTrip / 2, sessionSeconds);
        } catch (IOException e) {
            return failed(host, Ssh.whyNot(host, session.stderr()));
        }
    }

    private static HostProbe failed(String host, String problem) {
        return new HostProbe(host, problem, null, 0, 0, 0);
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
