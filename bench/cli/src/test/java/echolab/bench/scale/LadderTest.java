package echolab.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import echolab.bench.Cli;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.PythonPeers;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.Ladder;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.ResultsSchema;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Trial;

/**
 * A small ladder against servers run under a descriptor limit of 600 (selector, and the native epoll peer
 * where it can be built): each holds 100 connections, stops at 2,000, and the run names descriptors and 600
 * as what stopped it. A server must survive its limit (it keeps the connections it has, and does not spin
 * on the accept it cannot make), the clients must not be what stops it, and the results are a valid run
 * that report renders again alike.
 */
class LadderTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aServerUnderSixHundredDescriptorsStopsAtTwoThousandAndTheRunSaysWhy(@TempDir Path out) throws Exception {
        boolean nativePeer = NativePeers.build(ROOT).problem(NativePeers.EPOLL_SERVER) == null;
        Cli.Outcome run = Cli.run("scale", "--only", nativePeer ? "selector,native" : "selector", "--steps", "100,2000", "--no-to-limit",
                "--server-nofile", "600", "--no-pin", "--root", ROOT.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());

        ResultsSchema.assertValid(out.resolve("results.json"));
        BenchRun r = ResultsFile.read(out);
        assertTrue(r.run().complete());
        assertEquals(List.of(100, 2000), ladder(r).settings().steps());
        Ladder.ServerLadder selector = ladder(r).of("selector").orElseThrow();
        assertEquals(100, selector.highestStepHeld(), "highest step held");
        assertEquals(Ladder.Limit.DESCRIPTORS, selector.stop().limit(), selector.stop().why());
        assertEquals(2000, selector.stop().atStep());
        assertTrue(selector.stop().why().contains("600"), "the limit's value is named: " + selector.stop().why());
        assertNotNull(selector.stop().lift(), "how to lift it");
        // It held what its descriptors allow, and was still there to say so (a server that dies at its limit holds nothing).
        assertTrue(selector.mostHeld() > 500 && selector.mostHeld() < 600, "most held: " + selector.mostHeld());
        if (nativePeer) {
            Ladder.ServerLadder peer = ladder(r).of("native").orElseThrow();
            assertEquals(Ladder.Limit.DESCRIPTORS, peer.stop().limit(), peer.stop().why());
            assertTrue(peer.mostHeld() > 500 && peer.mostHeld() < 600, "native most held: " + peer.mostHeld());
        }
        for (String server : nativePeer ? List.of("selector", "native") : List.of("selector")) {
            double idle = trial(r, server, 2000).step().orElseThrow().idleCpuPercent();
            assertTrue(idle < 50, server + " used " + idle + "% of a core, all idle, at its limit: it spins on the accept it cannot make");
        }

        Trial held = trial(r, "selector", 100);
        assertEquals(Trial.Status.OK, held.status(), held.error());
        Trial.LadderStats l = held.step().orElseThrow();
        assertEquals(100, l.opened());
        assertEquals(100, l.accepted());
        assertEquals(100, l.answering());
        assertEquals(0, l.active().unanswered());
        assertEquals(0, l.active().corruptBytes());
        assertTrue(l.active().answered() > 0 && l.active().latencyMicros().count() > 0, "every connection active was measured");
        assertTrue(l.rssKiB() > 0 && l.threads() > 0 && l.heapKiB() != null, "the server's footprint was read");
        assertTrue(held.load().messages() > 0, "one more connection measured alone");

        Trial stopped = trial(r, "selector", 2000);
        assertEquals(Trial.Status.FAILED, stopped.status());
        assertEquals(2000, stopped.step().orElseThrow().opened(), "the clients opened every connection: they were not the limit");
        assertTrue(stopped.error().startsWith("descriptors"), stopped.error());

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("descriptors") && summary.contains("RLIMIT_NOFILE 600"), summary);
        assertEquals(SummaryMarkdown.render(r), summary, "report renders the same summary from results.json");
        assertTrue(Files.size(out.resolve("ladder-rss.png")) > 0 && Files.size(out.resolve("ladder-p99.svg")) > 0);
    }

    /**
     * asyncore's default poll, select(), cannot watch a descriptor numbered 1,024 or above: py-asyncore+select
     * holds 500 connections and stops at 1,500 with select()'s FD_SETSIZE named, while py-asyncore, the same
     * file polling with poll(), holds 1,500 in the same run.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void selectStopsAPythonDispatcherAtDescriptorTenTwentyFourAndPollDoesNot(@TempDir Path out) throws Exception {
        String missing = PythonPeers.whyUnavailable(ServerCatalogue.named("py-asyncore+select", ServerCatalogue.python()), ROOT);
        Assumptions.assumeTrue(missing == null, missing);
        Cli.Outcome run = Cli.run("scale", "--only", "py-asyncore+select,py-asyncore", "--steps", "500,1500", "--no-to-limit",
                "--no-pin", "--root", ROOT.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());

        Ladder.ServerLadder select = ladder(ResultsFile.read(out)).of("py-asyncore+select").orElseThrow();
        assertEquals(500, select.highestStepHeld(), "highest step held");
        assertEquals(Ladder.Limit.FD_SETSIZE, select.stop().limit(), select.stop().why());
        assertEquals(1500, select.stop().atStep());
        assertTrue(select.stop().why().contains("select()") && select.stop().why().contains("descriptor 10"), select.stop().why());
        assertTrue(select.mostHeld() > 900 && select.mostHeld() < 1024, "most held: " + select.mostHeld());
        Ladder.ServerLadder poll = ladder(ResultsFile.read(out)).of("py-asyncore").orElseThrow();
        assertEquals(1500, poll.highestStepHeld(), poll.stop().why());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("FD_SETSIZE"));
    }

    @Test
    void aDescriptorLimitAboveWhatTheToolMayGiveIsRefusedWithHowToLiftIt(@TempDir Path out) {
        Cli.Outcome run = Cli.run("scale", "--server-nofile", "99999999", "--root", ROOT.toString(), "--out", out.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("hard limit") && run.err().contains("ulimit -Hn"), run.err());
    }

    @Test
    void aFitOfKnownPointsGivesItsSlopeAndError() {
        Ladder.Fit exact = Projections.fit(List.of(new double[] {0, 100}, new double[] {1000, 2100}, new double[] {2000, 4100}));
        assertEquals(2.0, exact.perConnection(), 1e-9);
        assertEquals(0.0, exact.standardError(), 1e-9);
        Ladder.Fit noisy = Projections.fit(List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {2, 1}, new double[] {3, 3}));
        assertEquals(0.9, noisy.perConnection(), 1e-9);
        assertEquals(Math.sqrt(0.7 / 2 / 5), noisy.standardError(), 1e-9);      // residual SS 0.7, n - 2 = 2, Sxx = 5
    }

    private static Trial trial(BenchRun r, String server, int step) {
        return r.scenarios().stream().filter(s -> s.kind() == Scenario.Kind.LADDER && s.connections() == step)
                .flatMap(s -> s.trials().stream()).filter(t -> t.server().equals(server)).findFirst().orElseThrow();
    }

    /** The ladder of a scale run; the test fails if the run is of another kind. */
    private static Ladder ladder(BenchRun r) {
        if (r.kind() instanceof BenchRun.Scale scale) {
            return scale.ladder();
        }
        throw new AssertionError(r.run().id() + " is not a scale run: " + r.kind());
    }
}
