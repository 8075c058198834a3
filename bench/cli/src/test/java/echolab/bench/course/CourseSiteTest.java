package echolab.bench.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import echolab.bench.Cli;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.exercise.ExerciseRun;
import echolab.bench.results.ReferenceRuns;

/**
 * The course is generated from the files and the runs, so it cannot drift: a changed line shows up in
 * the site, a lesson that quotes a line or names a symbol no longer in the files is refused, and bad
 * input gets one line and exit 2. The pages themselves, in a browser: CourseBrowserTest.
 */
class CourseSiteTest {

    static final Path ROOT = Path.of("../..");

    /** The committed reference runs (results/reference.json), so that the figures are drawn from real results. */
    static CourseData reference(Path root) throws IOException {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        return CourseData.read(root, runs.benchDir(ROOT), runs.jmhFile(ROOT), runs.allocFile(ROOT), runs.scaleDir(ROOT),
                runs.capacityDir(ROOT), runs.variantsDir(ROOT), runs.pythonDir(ROOT), runs.pythonScaleDir(ROOT), runs.linesDir(ROOT),
                runs.linesAllocFile(ROOT));
    }

    /** The options that name the reference runs, so that a user's own newer runs never change what a test sees. */
    static List<String> referenceOptions() throws IOException {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        return List.of("--results", runs.benchDir(ROOT).toString(), "--jmh", runs.jmhFile(ROOT).toString(),
                "--alloc", runs.allocFile(ROOT).toString(), "--scale", runs.scaleDir(ROOT).toString(),
                "--capacity", runs.capacityDir(ROOT).toString(), "--variants", runs.variantsDir(ROOT).toString(),
                "--python", runs.pythonDir(ROOT).toString(), "--python-scale", runs.pythonScaleDir(ROOT).toString(),
                "--lines", runs.linesDir(ROOT).toString(), "--lines-alloc", runs.linesAllocFile(ROOT).toString());
    }

    static Path generate(Path out) throws IOException {
        long start = System.nanoTime();
        CourseSite.write(reference(ROOT), out);
        System.out.printf("course: generated in %.2f s%n", (System.nanoTime() - start) / 1e9);
        return out;
    }

    /**
     * framing.html sets the three files side by side, every section of each, shows what framing costs as the reference
     * lines run's summary.md draws it with the allocation run's figures, and each exercise of framing as its saved run
     * measured it (none missing with the committed runs).
     */
    @Test
    void theFramingLessonShowsTheLineServersTheirCostAndTheirExercises(@TempDir Path out) throws Exception {
        generate(out);
        String page = Files.readString(out.resolve("framing.html"));
        for (String server : List.of("selector-lines", "virtual-thread-lines", "py-asynchat")) {
            for (int k = 1; k <= 5; k++) {
                assertTrue(page.contains("id=\"s" + k + "-" + server + "\""), "section " + k + " of " + server);
            }
        }
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        assertTrue(page.contains(echolab.bench.results.SummaryMarkdown.framingTable(echolab.bench.results.ResultsFile.read(
                runs.linesDir(ROOT))).html()), "the table of what framing costs, from " + runs.lines());
        assertTrue(page.contains(echolab.bench.alloc.AllocationSites.read(runs.linesAllocFile(ROOT)).sourceHtml()),
                "the allocation run is named, with its command");
        for (echolab.bench.exercise.Exercise e : echolab.bench.exercise.Exercise.all()) {
            if (ServerCatalogue.lines().stream().anyMatch(l -> l.name().equals(e.server()))) {
                assertTrue(page.contains("id=\"figure-exercise-" + e.name() + "\""), e.name() + " is on the page");
            }
        }
        assertFalse(page.contains("figure missing"), "every figure of framing.html is drawn from the committed runs");
    }

    @Test
    void theSiteHasEveryPageEverySectionOfEveryFileAndItsOwnAssets(@TempDir Path out) throws Exception {
        generate(out);
        for (String page : List.of("index.html", "overview.html", "sync.html", "thread-per-conn.html", "selector.html",
                "virtual-thread.html", "framing.html", "exercises.html", "assets/course.css", "assets/course.js", "assets/prism/prism-core.js",
                "assets/prism/prism-java.js", "assets/prism/prism-keep-markup.js", "assets/prism/prism.css")) {
            assertTrue(Files.isRegularFile(out.resolve(page)), page);
        }
        String index = Files.readString(out.resolve("index.html"));
        for (String server : ServerCatalogue.names(ServerCatalogue.teaching())) {
            for (int k = 1; k <= 5; k++) {
                assertTrue(index.contains("id=\"s" + k + "-" + server + "\""), "section " + k + " of " + server);
            }
        }
        assertTrue(index.contains("Selector echo: one thread, non-blocking channels"), "the Javadoc heads the selector column");
        assertTrue(index.contains("class=\"line differs\""), "the line where thread-per-conn and virtual-thread differ is marked");
        assertTrue(index.contains("class=\"line shared\""), "lines shared by the blocking servers are marked");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(index + Files.readString(out.resolve("selector.html"))).find(),
                "a page refers to something outside the site");
        for (String page : List.of("sync.html", "thread-per-conn.html", "selector.html", "virtual-thread.html", "overview.html")) {
            String html = Files.readString(out.resolve(page));
            Matcher img = Pattern.compile("src=\"(figures/[^\"]+)\"").matcher(html);
            while (img.find()) {
                assertTrue(Files.isRegularFile(out.resolve(img.group(1))), page + " shows a chart that was not written: " + img.group(1));
            }
            assertTrue(html.contains("Reproduce: <code>") || html.contains("Missing: <code>"), page + " names no command");
        }
        String exercises = Files.readString(out.resolve("exercises.html"));
        assertTrue(exercises.contains("<details class=\"answer\">"), "the answers are folded away");
    }

    /** A JMH run that was stopped leaves the empty file JMH made when it started: the course's default passes over it. */
    @Test
    void anEmptyJmhFileLeftByAStoppedRunIsNotTheNewestRun(@TempDir Path jmh) throws Exception {
        Path reference = ReferenceRuns.of(ROOT).jmhFile(ROOT);
        Files.copy(reference, jmh.resolve("2026-01-01T000000Z.json"));
        Files.createFile(jmh.resolve("2026-12-31T235959Z.json"));
        assertEquals(jmh.resolve("2026-01-01T000000Z.json"), JmhRun.newest(jmh).orElseThrow());
    }

    /** "What is wrong here?" shows here: every line an exercise adds is on its page, in the code, marked as changed. */
    @Test
    void everyExerciseShowsItsSectionAsItBreaksIt(@TempDir Path out) throws Exception {
        generate(out);
        String page = Files.readString(out.resolve("exercises.html"));
        for (echolab.bench.exercise.Exercise e : echolab.bench.exercise.Exercise.all()) {
            int start = page.indexOf("<section class=\"exercise\" id=\"" + e.name() + "\">");
            assertTrue(start >= 0, "no section for " + e.name());
            String section = page.substring(start, page.indexOf("</section>", start));
            String code = section.substring(section.indexOf("<pre class=\"code\">"), section.indexOf("</pre>", section.indexOf("<pre class=\"code\">")));
            List<String> added = e.patch().stream().filter(l -> l.startsWith("+") && !l.startsWith("+++") && !l.isBlank()
                    && !l.substring(1).isBlank()).map(l -> l.substring(1)).toList();
            List<String> marked = Pattern.compile("<span class=\"line exercise-change\" data-n=\"\\d+\"[^>]*>(.*?)\n</span>")
                    .matcher(code).results().map(m -> m.group(1).replaceAll("<[^>]+>", "")).toList();
            for (String line : added) {
                assertTrue(marked.contains(Html.escape(line)), e.name() + ": the broken line is not shown, marked, in the code: " + line);
            }
            assertTrue(code.contains("exercise-change"), e.name() + ": no changed line is marked");
            assertTrue(section.contains("<pre class=\"diff\">") && section.indexOf("<pre class=\"diff\">") > section.indexOf("<details class=\"answer\">"),
                    e.name() + ": the diff is inside the folded answer");
        }
    }

    @Test
    void aFigureNamesItsRunItsMachineAndTheCommandThatReproducesIt(@TempDir Path out) throws Exception {
        generate(out);
        String selector = Files.readString(out.resolve("selector.html"));
        var run = reference(ROOT).bench().orElseThrow();
        assertTrue(selector.contains(run.run().id()) && selector.contains(run.run().command()), "the run and its command");
        assertTrue(selector.contains(run.environment().cpuModel()) && selector.contains("JDK " + run.environment().jdk()), "the machine");
        Matcher cpu = Pattern.compile("selector spent <strong>([0-9.]+) µs</strong>").matcher(selector);
        assertTrue(cpu.find(), "the CPU per message headline");
        assertEquals(echolab.bench.results.Figure.CPU_PER_MESSAGE.of(run, "selector"), Double.parseDouble(cpu.group(1)), 0.051, "read from results.json");
    }

    @Test
    void aChangedLineOfATeachingFileShowsInTheRegeneratedSite(@TempDir Path scratch) throws Exception {
        Path root = copyOfTheTeachingFiles(scratch);
        Path selector = root.resolve(ServerCatalogue.named("selector", ServerCatalogue.teaching()).source());
        String marker = "// A line the test added to section 3, to see it in the site.";
        Files.writeString(selector, Files.readString(selector).replace("        private ByteBuffer pendingOutput;",
                "        " + marker + "\n        private ByteBuffer pendingOutput;"));
        CourseSite.write(reference(root), scratch.resolve("site"));
        String index = Files.readString(scratch.resolve("site/index.html"));
        assertTrue(index.contains(Html.escape(marker)), "the regenerated side-by-side page does not show the changed line");
    }

    @Test
    void aLessonThatQuotesALineOrNamesASymbolNoLongerInTheFilesIsRefused(@TempDir Path scratch) throws Exception {
        Path root = copyOfTheTeachingFiles(scratch);
        Path selector = root.resolve(ServerCatalogue.named("selector", ServerCatalogue.teaching()).source());
        Files.writeString(selector, Files.readString(selector).replace("pendingOutput", "waiting"));
        Lessons.LessonError e = assertThrows(Lessons.LessonError.class, () -> CourseSite.write(reference(root), scratch.resolve("site")));
        assertTrue(e.getMessage().contains("lesson selector.md") && e.getMessage().contains("`pendingOutput` is in no teaching file"),
                e.getMessage());
        assertTrue(e.getMessage().contains("has no line containing 'boolean readable() { return pendingOutput == null; }'"), e.getMessage());
        List<String> args = new java.util.ArrayList<>(List.of("course", "--root", root.toString(), "--out", scratch.resolve("site2").toString()));
        args.addAll(referenceOptions());
        Cli.Outcome r = Cli.run(args.toArray(String[]::new));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("course: lesson selector.md:"), r.err());
    }

    @Test
    void badInputGetsOneLineAndExitTwo(@TempDir Path scratch) throws Exception {
        assertUsageError("is not a bench run: no results.json", "--results", scratch.resolve("missing").toString());
        Files.createDirectories(scratch.resolve("empty"));
        assertUsageError("is not a bench run: no results.json", "--results", scratch.resolve("empty").toString());
        Path old = scratch.resolve("old");
        Files.createDirectories(old);
        ObjectNode v1 = (ObjectNode) new ObjectMapper().readTree(ReferenceRuns.of(ROOT).benchDir(ROOT)
                .resolve("results.json").toFile());
        v1.put("schemaVersion", 1);
        new ObjectMapper().writeValue(old.resolve("results.json").toFile(), v1);
        assertUsageError("has schema version 1", "--results", old.toString());
        Files.writeString(scratch.resolve("jmh.json"), "{\"not\": \"jmh\"}");
        assertUsageError("is not JMH's JSON output", "--jmh", scratch.resolve("jmh.json").toString());
    }

    @Test
    void aRunThatLacksAScenarioStillGivesASiteThatSaysWhatIsMissing(@TempDir Path scratch) throws Exception {
        Path partial = scratch.resolve("partial");
        Files.createDirectories(partial);
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(ReferenceRuns.of(ROOT).benchDir(ROOT)
                .resolve("results.json").toFile());
        ArrayNode kept = new ObjectMapper().createArrayNode();
        run.withArray("scenarios").forEach(s -> {
            if (!s.path("kind").asText().equals("scale")) {
                kept.add(s);
            }
        });
        run.set("scenarios", kept);
        new ObjectMapper().writeValue(partial.resolve("results.json").toFile(), run);
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        Cli.Outcome r = Cli.run("course", "--root", ROOT.toString(), "--out", scratch.resolve("site").toString(),
                "--results", partial.toString(), "--jmh", runs.jmhFile(ROOT).toString(), "--alloc", runs.allocFile(ROOT).toString());
        assertEquals(0, r.exit(), r.err());
        String lesson = Files.readString(scratch.resolve("site/thread-per-conn.html"));
        Matcher gap = Pattern.compile("Bench run [^<]* did not measure the idle-connection scenario; this figure needs it\\.").matcher(lesson);
        assertTrue(gap.find(), "the gap is said on the page, in words: " + lesson.substring(Math.max(0, lesson.indexOf("Bench run")),
                Math.min(lesson.length(), Math.max(0, lesson.indexOf("Bench run")) + 200)));
        assertTrue(lesson.contains("<code>./echolab bench</code>"), "with the command that measures it");
    }

    /**
     * The virtual-thread lesson shows the exercise that removes TCP_NODELAY as its newest saved run measured it,
     * broken beside real, naming the run and its command; with no saved run, it names the command that makes one.
     */
    @Test
    void theLessonShowsAnExercisesNewestSavedRunOrTheCommandThatMakesOne(@TempDir Path scratch) throws Exception {
        Path root = copyOfTheTeachingFiles(scratch);
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        CourseData data = CourseData.read(root, runs.benchDir(ROOT), runs.jmhFile(ROOT), runs.allocFile(ROOT), runs.scaleDir(ROOT),
                runs.capacityDir(ROOT), runs.variantsDir(ROOT), runs.pythonDir(ROOT), runs.pythonScaleDir(ROOT), runs.linesDir(ROOT),
                runs.linesAllocFile(ROOT));
        CourseSite.write(data, scratch.resolve("without"));
        String without = Files.readString(scratch.resolve("without/virtual-thread.html"));
        assertTrue(without.contains("Missing: <code>./echolab exercise run virtual-thread-waits-for-acks --save</code>"),
                "no saved run: the figure names the command");

        String name = "virtual-thread-waits-for-acks";
        for (String[] run : new String[][] {{"2026-01-01T000000Z", "111 us"}, {"2026-02-01T000000Z", "44,040 us"}}) {
            ExerciseRun saved = new ExerciseRun(ExerciseRun.SCHEMA, ExerciseRun.SCHEMA_VERSION, run[0], name, "virtual-thread",
                    "./echolab exercise run " + name + " --save", "2026-02-01T00:00:00Z",
                    echolab.bench.results.ResultsFile.read(runs.benchDir(ROOT)).environment(),
                    List.of("everyConnectionHasNagleOff"), 24, "the round trip of a message larger than the buffer",
                    List.of(new ExerciseRun.Observation("median round trip, 16 KiB", run[1], "237 us")), false, true);
            Files.createDirectories(ExerciseRun.folder(root));
            saved.write(ExerciseRun.folder(root).resolve(run[0] + "-" + name + ".json"));
        }
        Files.writeString(ExerciseRun.folder(root).resolve("2026-03-01T000000Z-selector-ignores-eof.json"), "{}");
        CourseSite.write(data, scratch.resolve("with"));
        String with = Files.readString(scratch.resolve("with/virtual-thread.html"));
        assertTrue(with.contains("44,040 us") && with.contains("237 us") && !with.contains("111 us"), "the newest saved run, broken and real");
        assertTrue(with.contains("The broken copy shows the symptom; the real server does not.")
                && with.contains("1 of 24 tests failed (everyConnectionHasNagleOff)"), "what the run found, in words");
        assertTrue(with.contains("results/exercise/2026-02-01T000000Z-" + name + ".json"), "the run is named");
    }

    /** Runs course with {@code args}, the other runs being the reference ones, and expects one line and exit 2. */
    private static void assertUsageError(String expected, String... args) throws IOException {
        List<String> all = new java.util.ArrayList<>(List.of("course", "--root", ROOT.toString()));
        all.addAll(List.of(args));
        List<String> reference = referenceOptions();
        for (int i = 0; i < reference.size(); i += 2) {
            if (!all.contains(reference.get(i))) {
                all.addAll(reference.subList(i, i + 2));
            }
        }
        Cli.Outcome r = Cli.run(all.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        String err = r.err().strip();
        assertTrue(err.contains(expected), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
    }

    /** The teaching files, the Python peers' and the line servers' (and nothing else) under a new root, as a checkout would have them. */
    static Path copyOfTheTeachingFiles(Path scratch) throws IOException {
        Path root = scratch.resolve("checkout");
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            Path to = root.resolve(e.source());
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(e.source()), to);
        }
        for (ServerCatalogue.PythonPeer p : java.util.stream.Stream.concat(ServerCatalogue.python().stream(),
                ServerCatalogue.pythonLines().stream()).toList()) {
            Path to = root.resolve(p.script());
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(p.script()), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (ServerCatalogue.Entry e : ServerCatalogue.lines()) {
            if (e instanceof ServerCatalogue.TeachingServer t) {
                Path to = root.resolve(t.source());
                Files.createDirectories(to.getParent());
                Files.copy(ROOT.resolve(t.source()), to);
            }
        }
        return root;
    }
}
