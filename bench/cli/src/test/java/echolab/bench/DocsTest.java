package echolab.bench;

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
import com.fasterxml.jackson.databind.node.ObjectNode;

import echolab.bench.course.Seeds;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.results.BenchRun;
import echolab.bench.results.ReferenceRuns;
import echolab.bench.results.ResultsFile;
import echolab.bench.results.Scenario;
import echolab.bench.results.SummaryMarkdown;
import echolab.bench.results.Table;

/**
 * The README and docs/ say what the files, the poms and the committed reference runs (results/reference.json)
 * say: a changed file, a new dependency or a new reference that the docs missed fails here; a user's own runs
 * beside the reference do not. Every relative link of the README and docs/ leads somewhere.
 */
class DocsTest {

    private static final Path ROOT = Path.of("../..");
    private static final String COURSE = "docs/course.md";
    private static final String MEASURING = "docs/measuring.md";
    private static final String SCALE = "docs/scale-and-capacity.md";
    private static final String PYTHON = "docs/python.md";
    private static final String FRAMING = "docs/framing.md";

    @Test
    void theLineCountsOfTheModelsTableAreTheFiles() throws Exception {
        assertLineCountsAreTheFiles(ROOT);
    }

    @Test
    void everyExerciseIsInTheCoursesTable() throws Exception {
        String course = Files.readString(ROOT.resolve(COURSE));
        for (echolab.bench.exercise.Exercise e : echolab.bench.exercise.Exercise.all()) {
            assertTrue(course.contains("| `" + e.name() + "` | " + e.server() + ", " + e.section() + " | " + e.title() + " |"),
                    COURSE + "'s table of exercises lacks " + e.name());
        }
    }

    @Test
    void theDocsShowTheReferenceRunsMainTables() throws Exception {
        assertDocsShowTheReferenceRuns(ROOT);
    }

    /**
     * A user's own run, newer than the reference and beside it under results/, changes nothing the docs'
     * checks see; naming it the reference (without updating the docs) is what fails them.
     */
    @Test
    void aNewerRunBesideTheReferenceLeavesTheChecksGreen(@TempDir Path scratch) throws Exception {
        Path root = scratch.resolve("checkout");
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        for (String page : List.of("README.md", MEASURING, SCALE, PYTHON)) {
            copy(ROOT.resolve(page), root.resolve(page));
        }
        copy(ROOT.resolve("results").resolve(ReferenceRuns.FILE), root.resolve("results").resolve(ReferenceRuns.FILE));
        copy(runs.benchDir(ROOT).resolve(ResultsFile.NAME), runs.benchDir(root).resolve(ResultsFile.NAME));
        copy(runs.jmhFile(ROOT), runs.jmhFile(root));
        copy(runs.allocFile(ROOT), runs.allocFile(root));
        copy(runs.scaleDir(ROOT).resolve(ResultsFile.NAME), runs.scaleDir(root).resolve(ResultsFile.NAME));
        copy(runs.capacityDir(ROOT).resolve(ResultsFile.NAME), runs.capacityDir(root).resolve(ResultsFile.NAME));
        copy(runs.variantsDir(ROOT).resolve(ResultsFile.NAME), runs.variantsDir(root).resolve(ResultsFile.NAME));
        copy(runs.pythonDir(ROOT).resolve(ResultsFile.NAME), runs.pythonDir(root).resolve(ResultsFile.NAME));
        copy(runs.pythonScaleDir(ROOT).resolve(ResultsFile.NAME), runs.pythonScaleDir(root).resolve(ResultsFile.NAME));
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            copy(ROOT.resolve(e.source()), root.resolve(e.source()));
        }
        String newer = "2999-12-31T2359-default";
        ObjectNode run = (ObjectNode) new ObjectMapper().readTree(runs.benchDir(ROOT).resolve(ResultsFile.NAME).toFile());
        ((ObjectNode) run.get("run")).put("id", newer).put("startedAt", "2999-12-31T23:59:00Z");
        Path newerDir = root.resolve("results").resolve(newer);
        Files.createDirectories(newerDir);
        new ObjectMapper().writeValue(newerDir.resolve(ResultsFile.NAME).toFile(), run);
        assertEquals(newerDir, ResultsFile.newest(root.resolve("results")).orElseThrow(), "the copy is the newest run");

        assertLineCountsAreTheFiles(root);
        assertDocsShowTheReferenceRuns(root);

        Files.writeString(root.resolve("results").resolve(ReferenceRuns.FILE),
                "{\"bench\": \"" + newer + "\", \"jmh\": \"" + runs.jmh() + "\", \"alloc\": \"" + runs.alloc()
                        + "\", \"scale\": \"" + runs.scale() + "\", \"capacity\": \"" + runs.capacity()
                        + "\", \"variants\": \"" + runs.variants() + "\", \"python\": \"" + runs.python()
                        + "\", \"pythonScale\": \"" + runs.pythonScale() + "\", \"lines\": \"" + runs.lines()
                        + "\", \"linesAlloc\": \"" + runs.linesAlloc() + "\"}");
        AssertionError e = assertThrows(AssertionError.class, () -> assertDocsShowTheReferenceRuns(root));
        assertTrue(e.getMessage().contains(MEASURING + " names " + newer), e.getMessage());
    }

    private static void assertLineCountsAreTheFiles(Path root) throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(e.module()) + "` \\|[^|]*\\|[^|]*\\| (\\d+) \\|").matcher(readme);
            assertTrue(row.find(), "no row for " + e.module() + " in the README's table of the models");
            assertEquals(Files.readAllLines(root.resolve(e.source())).size(), Integer.parseInt(row.group(1)),
                    "lines of " + e.source() + " in the README");
        }
    }

    /**
     * docs/measuring.md names the bench run, its machine, the allocation run and the variants run, and holds
     * the main tables of the bench and variants runs row for row; docs/scale-and-capacity.md those of the
     * scale and capacity runs.
     */
    private static void assertDocsShowTheReferenceRuns(Path root) throws IOException {
        String measuring = Files.readString(root.resolve(MEASURING));
        String scale = Files.readString(root.resolve(SCALE));
        ReferenceRuns runs = ReferenceRuns.of(root);
        BenchRun run = ResultsFile.read(runs.benchDir(root));
        assertTrue(measuring.contains("(../results/" + runs.bench() + "/summary.md)"), MEASURING + " names " + runs.bench());
        assertTrue(measuring.contains("results/" + runs.alloc()), MEASURING + " names " + runs.alloc());
        assertTrue(Files.isRegularFile(runs.jmhFile(root)), "no reference JMH file " + runs.jmhFile(root));
        assertTrue(measuring.contains(run.environment().oneLine().replace(" (with uncommitted changes)", "")),
                MEASURING + " names the machine of " + runs.bench() + ": " + run.environment().oneLine());
        for (String line : SummaryMarkdown.sizesTable(run).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
            assertTrue(measuring.contains(line), MEASURING + "'s table of message sizes of " + runs.bench() + " lacks this row:\n" + line);
        }
        for (Path dir : List.of(runs.benchDir(root), runs.variantsDir(root), runs.scaleDir(root), runs.capacityDir(root))) {
            String name = root.resolve("results").relativize(dir).toString();
            boolean bench = dir.equals(runs.benchDir(root)) || dir.equals(runs.variantsDir(root));
            String page = bench ? MEASURING : SCALE;
            String text = bench ? measuring : scale;
            assertTrue(text.contains("(../results/" + name + "/summary.md)"), page + " names " + name);
            for (String line : SummaryMarkdown.mainTable(ResultsFile.read(dir)).lines()
                    .filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
                assertTrue(text.contains(line), page + "'s table of " + name + " lacks this row:\n" + line);
            }
        }
    }

    /**
     * docs/python.md names the reference bench and scale runs of the Python peers and holds, row for row, the
     * table of each Java server beside its Python twins that the course's seeds.html draws from them.
     */
    @Test
    void thePythonPageShowsTheReferenceRunsOfThePythonPeers() throws Exception {
        String page = Files.readString(ROOT.resolve(PYTHON));
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        BenchRun bench = ResultsFile.read(runs.pythonDir(ROOT));
        BenchRun scale = ResultsFile.read(runs.pythonScaleDir(ROOT));
        for (String run : List.of(runs.python(), runs.pythonScale())) {
            assertTrue(page.contains("(../results/" + run + "/summary.md)"), PYTHON + " names " + run);
        }
        for (ServerCatalogue.Teaching twin : ServerCatalogue.teaching()) {
            for (String line : Seeds.table(bench, java.util.Optional.of(scale), twin.name()).markdown().lines()
                    .filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
                assertTrue(page.contains(line), PYTHON + "'s table of " + twin.name() + " and its twins lacks this row:\n" + line);
            }
        }
    }

    /**
     * docs/framing.md names the reference bench run and allocation-sites run of the line servers, holds the table of
     * what framing costs row for row as summary.md draws it from that run, each line server's allocation per echo at
     * one and at ten messages a write as the allocation run recorded it, and the lines of each line server's file.
     */
    @Test
    void theFramingPageShowsTheReferenceRunsOfTheLineServers() throws Exception {
        String page = Files.readString(ROOT.resolve(FRAMING));
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        assertTrue(page.contains("(../results/" + runs.lines() + "/summary.md)"), FRAMING + " names " + runs.lines());
        assertTrue(page.contains("results/" + runs.linesAlloc()), FRAMING + " names " + runs.linesAlloc());
        Table table = SummaryMarkdown.framingTable(ResultsFile.read(runs.linesDir(ROOT)));
        assertFalse(table.isEmpty(), runs.lines() + " measured the line servers beside their twins");
        for (String line : table.markdown().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| server")).toList()) {
            assertTrue(page.contains(line), FRAMING + "'s table of what framing costs lacks this row:\n" + line);
        }
        echolab.bench.alloc.AllocationSites alloc = echolab.bench.alloc.AllocationSites.read(runs.linesAllocFile(ROOT));
        for (echolab.bench.alloc.AllocationSites.ServerSites s : alloc.servers()) {
            if (s.pipeline() == 1) {
                String row = String.format("| %s | %.1f | %.1f |", s.server(), s.bytesPerEcho(),
                        alloc.server(s.server(), Scenario.PIPELINED_MESSAGES).orElseThrow().bytesPerEcho());
                assertTrue(page.contains(row), FRAMING + " lacks the allocation row " + row);
            }
        }
        for (ServerCatalogue.Entry e : ServerCatalogue.lines()) {
            String file = e instanceof ServerCatalogue.PythonPeer p ? p.script() : ((ServerCatalogue.TeachingServer) e).source();
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(e.name()) + "` \\|[^|]*\\|[^|]*\\| (\\d+) \\|").matcher(page);
            assertTrue(row.find(), "no row for " + e.name() + " in " + FRAMING + "'s table of the line servers");
            assertEquals(Files.readAllLines(ROOT.resolve(file)).size(), Integer.parseInt(row.group(1)), "lines of " + file + " in " + FRAMING);
        }
    }

    @Test
    void theJmhReadmeDescribesTheReferenceJmhRun() throws Exception {
        ReferenceRuns runs = ReferenceRuns.of(ROOT);
        String jmhReadme = Files.readString(ROOT.resolve("results/jmh/README.md"));
        String name = runs.jmhFile(ROOT).getFileName().toString();
        assertTrue(jmhReadme.contains("The committed reference run, `" + name + "`"), "results/jmh/README.md describes " + name);
    }

    /** The README and every page under docs/: each relative link names a file that exists, and an anchor a heading of it. */
    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws Exception {
        List<Path> pages;
        try (var files = Files.walk(ROOT.resolve("docs"))) {
            pages = new java.util.ArrayList<>(files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        pages.add(0, ROOT.resolve("README.md"));
        assertTrue(pages.size() >= 8, "the README and docs/ hold only " + pages);
        int links = 0;
        Matcher m = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher("");
        for (Path page : pages) {
            m.reset(Files.readString(page));
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("[a-z]+:.*")) {
                    continue;
                }
                links++;
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                assertTrue(Files.exists(target), ROOT.relativize(page) + " links to " + link + ", which is not there");
                if (link.contains("#") && target.toString().endsWith(".md")) {
                    String anchor = link.substring(link.indexOf('#') + 1);
                    List<String> slugs = Files.readAllLines(target).stream().filter(l -> l.startsWith("#"))
                            .map(DocsTest::slug).toList();
                    assertTrue(slugs.contains(anchor), ROOT.relativize(page) + " links to " + link + ": no such heading in " + file
                            + " (its headings: " + slugs + ")");
                }
            }
        }
        assertTrue(links > 30, "only " + links + " relative links were found: the pattern saw nothing to check");
    }

    /** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
    private static String slug(String heading) {
        return heading.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /**
     * docs/architecture.md's table of modules says, for each module of echo-lab, the echo-lab modules it depends on
     * at compile scope: exactly those its pom names. A new dependency that the page missed fails here.
     */
    @Test
    void theArchitecturesModuleTableIsThePoms() throws Exception {
        Matcher row = Pattern.compile("(?m)^\\| `(echo-[a-z-]+)` \\| `([^`]+)/` \\|[^|]*\\| ([^|]*) \\|").matcher(
                Files.readString(ROOT.resolve("docs/architecture.md")));
        int rows = 0;
        while (row.find()) {
            rows++;
            String pom = Files.readString(ROOT.resolve(row.group(2)).resolve("pom.xml"));
            java.util.Set<String> inPom = new java.util.TreeSet<>();
            Matcher dep = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(pom.substring(pom.indexOf("<dependencies>")));
            while (dep.find()) {
                String d = dep.group(1);
                if (d.contains("<groupId>echolab</groupId>") && !d.contains("<scope>test</scope>")) {
                    inPom.add(d.replaceAll("(?s).*<artifactId>([^<]+)</artifactId>.*", "$1"));
                }
            }
            java.util.Set<String> inDoc = new java.util.TreeSet<>();
            Matcher name = Pattern.compile("`([a-z-]+)`").matcher(row.group(3));
            while (name.find()) {
                inDoc.add(name.group(1));
            }
            if (row.group(3).contains("the four servers")) {
                ServerCatalogue.teaching().forEach(e -> inDoc.add(e.module()));
            }
            assertEquals(inPom, inDoc, "docs/architecture.md's row for " + row.group(1) + " against " + row.group(2) + "/pom.xml");
        }
        assertTrue(rows >= 10, "docs/architecture.md's table of modules has " + rows + " rows");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}
