package echolab.bench.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import echolab.bench.harness.ServerCatalogue;
import echolab.bench.teaching.TeachingFile;
import echolab.bench.Cli;

/**
 * The exercises as data: each parses, names a real server and section, covers the four models, and its
 * patch still applies to the teaching file as it is now (that it is caught is ExercisesIT's job).
 */
class ExerciseTest {

    static final Path ROOT = Path.of("../..");

    @Test
    void everyExerciseParsesAndNamesARealServerAndSection() throws Exception {
        List<Exercise> all = Exercise.all();
        assertTrue(all.size() >= 8, "at least eight exercises: " + all.size());
        Set<String> names = new HashSet<>();
        for (Exercise e : all) {
            assertTrue(names.add(e.name()), "two exercises called " + e.name());
            TeachingFile file = TeachingFile.parse(e.server(), e.source(), Files.readAllLines(ROOT.resolve(e.source())));
            file.section(e.section());
            for (String text : List.of(e.title(), e.question(), e.hint(), e.answer())) {
                assertFalse(text.isBlank(), e.name());
            }
        }
        Set<String> covered = Set.copyOf(all.stream().map(Exercise::server).toList());
        assertTrue(covered.containsAll(ServerCatalogue.names(ServerCatalogue.teaching())), "the exercises cover every model: " + covered);
        assertTrue(all.stream().anyMatch(e -> e.pythonPeer().isPresent()), "and a Python peer");
        assertTrue(covered.containsAll(ServerCatalogue.names(ServerCatalogue.lines().stream()
                .filter(l -> l.kind() == ServerCatalogue.Kind.LINES).toList())), "and every Java line server: " + covered);
        for (String server : covered) {
            assertTrue(ServerCatalogue.names(ServerCatalogue.teaching()).contains(server)
                    || ServerCatalogue.names(ServerCatalogue.python()).contains(server)
                    || ServerCatalogue.names(ServerCatalogue.lines()).contains(server),
                    server + " is a teaching server, a Python peer or a line server");
        }
    }

    @Test
    void everyPatchStillAppliesToItsTeachingFileAndChangesOnlyAFewLines() throws Exception {
        for (Exercise e : Exercise.all()) {
            List<String> original = Files.readAllLines(ROOT.resolve(e.source()));
            List<String> patched = Scratch.apply(e, original);
            assertFalse(patched.equals(original), e.name() + " changes nothing");
            long changed = e.patch().stream().filter(l -> (l.startsWith("+") || l.startsWith("-"))
                    && !l.startsWith("+++") && !l.startsWith("---")).count();
            assertTrue(changed <= 12, e.name() + " changes " + changed + " lines: an exercise is a small mistake, not a rewrite");
            assertTrue(e.patch().stream().anyMatch(l -> l.startsWith("+++ b/" + e.source())), e.name() + " patches " + e.source());
        }
    }

    @Test
    void aPatchThatNoLongerAppliesIsReportedByName() throws Exception {
        Exercise e = Exercise.named("selector-ignores-eof");
        List<String> moved = Files.readAllLines(ROOT.resolve(ServerCatalogue.named("selector", ServerCatalogue.teaching()).source()))
                .stream().map(l -> l.replace("channel.read(readBuffer) == -1", "channel.read(readBuffer) < 0")).toList();
        java.io.IOException error = assertThrows(java.io.IOException.class, () -> Scratch.apply(e, moved));
        assertTrue(error.getMessage().contains("selector-ignores-eof no longer applies"), error.getMessage());
    }

    @Test
    void listShowsEveryExerciseAndShowGivesTheQuestionWhereToLookAndAHint() throws Exception {
        Cli.Outcome list = Cli.run("exercise", "list");
        assertEquals(0, list.exit());
        for (Exercise e : Exercise.all()) {
            assertTrue(list.out().contains(e.name()), e.name());
        }
        Cli.Outcome show = Cli.run("exercise", "show", "selector-always-writable", "--root", ROOT.toString());
        assertEquals(0, show.exit());
        String out = show.out();
        assertTrue(out.contains("What is wrong here?") && out.contains("SelectorEchoServer.java, section 3") && out.contains("Hint:"), out);
        assertFalse(out.contains("Answer:"), "the answer only with --answer");
        Matcher broken = Pattern.compile("(?m)^ *(\\d+) {2}" + Pattern.quote("        boolean writable() { return true; }")).matcher(out);
        assertTrue(broken.find(), "show prints the broken line with its number: " + out);
        assertEquals("boolean writable() { return true; }                    // always ready to write back",
                BrokenSection.of(Exercise.named("selector-always-writable"), ROOT).broken().line(Integer.parseInt(broken.group(1))).strip(),
                "the number is the broken file's own");
        assertFalse(out.contains("@@") || out.contains("return pendingOutput != null; }\n"), "no diff, and not the real line, before the answer");
        Cli.Outcome answer = Cli.run("exercise", "show", "selector-always-writable", "--answer", "--root", ROOT.toString());
        assertTrue(answer.out().contains("Answer: select() returns at once"), answer.out());
        assertTrue(answer.out().contains("-        boolean writable() { return pendingOutput != null; }")
                && answer.out().contains("+        boolean writable() { return true; }") && answer.out().contains("@@ -"),
                "--answer prints the diff: " + answer.out());
    }

    @Test
    void anUnknownExerciseIsAUsageErrorThatListsTheNames() throws Exception {
        Cli.Outcome r = Cli.run("exercise", "run", "no-such-exercise");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no exercise 'no-such-exercise'; the exercises are: blocking-echoes-whole-buffer"), r.err());
        Cli.Outcome missing = Cli.run("exercise", "show");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("show needs an exercise's name"), missing.err());
        Cli.Outcome action = Cli.run("exercise", "grade");
        assertEquals(2, action.exit());
        assertTrue(action.err().contains("unknown action 'grade'"), action.err());
    }
}
