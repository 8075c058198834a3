package echolab.bench.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The course in a real browser: Debian's Chromium, headless, loading the site from disk. The four section
 * headings of each row stand at the same height (on screen and in print), Prism highlighted the code,
 * the diff control shows the chosen pair, every chart loaded, no request left the machine, no script
 * failed, and the side-by-side page prints on A4 landscape. Skipped, saying so, where there is no Chromium or
 * no chromedriver ('.ci/run' installs both).
 */
class CourseBrowserTest {

    @TempDir
    static Path site;
    private static Browser browser;

    @BeforeAll
    static void generateAndStart() throws Exception {
        Assumptions.assumeTrue(Browser.missing().isEmpty(), () -> Browser.missing().orElseThrow() + ", to run the browser test");
        CourseSiteTest.generate(site);
        browser = Browser.launch(Browser.find().orElseThrow(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private static final String HEADING_TOPS = """
            (() => { const rows = {};
              document.querySelectorAll('.section-heading').forEach(h => {
                const k = h.id.split('-')[0]; (rows[k] = rows[k] || []).push(Math.round(h.getBoundingClientRect().top + window.scrollY)); });
              return rows; })()""";

    @Test
    void theSectionsOfEveryRowStandAtTheSameHeightAndTheCodeIsHighlighted() throws Exception {
        Browser.Page page = browser.newPage(1600, 1000);
        page.open(site.resolve("index.html").toUri());
        assertAligned(page.eval(HEADING_TOPS), "on screen");
        int tokens = page.eval("document.querySelectorAll('.grid code .token').length").asInt();
        assertTrue(tokens > 500, "Prism highlighted only " + tokens + " tokens");
        assertEquals("SelectorEchoServer", page.eval("[...document.querySelectorAll('.grid [data-server=selector] .token.class-name')]"
                + ".map(t => t.textContent).find(t => t === 'SelectorEchoServer')").asText(), "class names are tokens");
        int kept = page.eval("document.querySelectorAll('.grid .line[data-n]').length").asInt();
        assertTrue(kept > 400, "the line spans (and their numbers) did not survive highlighting: " + kept);
        assertEquals(1, page.eval("document.querySelectorAll('[data-server=virtual-thread] .line.differs').length").asInt(),
                "one line differs from thread-per-conn");
        page.media("print");
        assertAligned(page.eval(HEADING_TOPS), "in print");
        page.media("");
        assertLocalOnly(page);
    }

    /** The tops of the section headings on seeds.html, by block and row ("pair-selector s3"). */
    private static final String PAIR_HEADING_TOPS = """
            (() => { const rows = {};
              document.querySelectorAll('section.pair').forEach(p => p.querySelectorAll('.section-heading').forEach(h => {
                const k = p.id + ' ' + h.id.split('-')[0];
                (rows[k] = rows[k] || []).push(Math.round(h.getBoundingClientRect().top + window.scrollY)); }));
              return rows; })()""";

    /**
     * seeds.html: each Java server beside its Python twins, five rows a block with the headings of a row at one
     * height (on screen and in print); the Python highlighted as Python; the names that match across the two
     * marked in both; the pair's figures in a table; nothing fetched from anywhere.
     */
    @Test
    void theSeedsPageSetsEachPythonFileBesideItsJavaTwinAlignedAndHighlighted() throws Exception {
        Browser.Page page = browser.newPage(1600, 1000);
        page.open(site.resolve("seeds.html").toUri());
        for (String media : new String[] {"", "print"}) {
            page.media(media);
            JsonNode rows = page.eval(PAIR_HEADING_TOPS);
            assertEquals(4 * 5, rows.size(), "four blocks of five rows " + media + ": " + rows);
            rows.fields().forEachRemaining(row -> {
                assertTrue(row.getValue().size() >= 2, row.getKey() + " sets a Java file beside at least one Python file");
                int first = row.getValue().get(0).asInt();
                row.getValue().forEach(top -> assertEquals(first, top.asInt(), 1, "the headings of " + row.getKey() + " stand at "
                        + row.getValue() + " " + media));
            });
        }
        page.media("");
        assertTrue(page.eval("document.querySelectorAll('code.language-python .token').length").asInt() > 300,
                "Prism highlighted the Python");
        assertTrue(page.eval("[...document.querySelectorAll('[data-server=py-asyncore] .token.keyword')].some(t => t.textContent === 'def')")
                .asBoolean(), "def is a Python keyword token");
        assertTrue(page.eval("document.querySelectorAll('#pair-selector [data-server=py-asyncore] .line.twin').length").asInt() >= 7
                && page.eval("document.querySelectorAll('#pair-selector [data-server=selector] .line.twin').length").asInt() >= 7,
                "handle_accepted and handleAccept(), readable() and writable(), ... are marked in both files");
        assertTrue(page.eval("[...document.querySelectorAll('#pair-selector figure table td')].some(td => td.textContent === 'py-asyncore+select')")
                .asBoolean(), "the pair's figures name every Python twin, the variants too");
        assertLocalOnly(page);
    }

    /**
     * For every line of code that wraps in its column: the left edge of its first character on the first row,
     * and the leftmost edge of its continuation rows. Measured on the text itself (a Range over the line from
     * its first non-blank character), so Prism's token spans and the line number do not count.
     */
    private static final String WRAPPED_LINES = """
            [...document.querySelectorAll('.grid .line[data-n]')].map(line => {
              const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
              let node, offset = -1;
              while ((node = walker.nextNode()) && (offset = node.data.search(/\\S/)) < 0) {}
              if (!node) return null;
              const range = document.createRange();
              range.setStart(node, offset); range.setEnd(line, line.childNodes.length);
              const rects = [...range.getClientRects()].filter(r => r.width > 0);
              const firstTop = rects[0].top;
              const rest = rects.filter(r => r.top > firstTop + 2);
              if (rest.length === 0) return null;
              return { n: line.dataset.n, server: line.closest('[data-server]').dataset.server, text: line.textContent.trim(),
                       first: rects[0].left, continuation: Math.min(...rest.map(r => r.left)) };
            }).filter(x => x)""";

    /** Projected at 1280 x 720 and 1920 x 1080: a wrapped line keeps its indentation (a hanging indent). */
    @Test
    void aWrappedLineContinuesToTheRightOfItsFirstCharacter() throws Exception {
        Browser.Page page = browser.newPage(1280, 720);
        int wrappedAtAnyWidth = 0;
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            page.resize(size[0], size[1]);
            page.open(site.resolve("index.html").toUri());
            JsonNode wrapped = page.eval(WRAPPED_LINES);
            wrappedAtAnyWidth += wrapped.size();
            for (JsonNode w : wrapped) {
                assertTrue(w.get("continuation").asDouble() > w.get("first").asDouble() + 1, "at " + size[0] + " px, line "
                        + w.get("n") + " of " + w.get("server").asText() + " wraps to x=" + w.get("continuation") + ", left of its "
                        + "first character at x=" + w.get("first") + ": " + w.get("text").asText());
            }
            assertLocalOnly(page);
        }
        assertTrue(wrappedAtAnyWidth > 0, "no line wrapped at 1280 px: the check saw nothing to check");
    }

    @Test
    void theDiffControlShowsAnyTwoFilesAsADiff() throws Exception {
        Browser.Page page = browser.newPage(1600, 1000);
        page.open(site.resolve("index.html").toUri());
        assertTrue(page.eval("document.getElementById('diff').hidden").asBoolean(), "the diff starts hidden");
        page.eval("document.getElementById('diff-a').value = 'sync'; document.getElementById('diff-b').value = 'selector';"
                + "document.getElementById('diff-show').click(); true");
        JsonNode shown = page.eval("[...document.querySelectorAll('.diff-pair')].filter(p => !p.hidden && p.offsetHeight > 0)"
                + ".map(p => p.dataset.a + '/' + p.dataset.b)");
        assertEquals("[\"sync/selector\"]", shown.toString());
        assertTrue(page.eval("document.querySelectorAll('.diff-pair[data-a=sync][data-b=selector] .line.inserted').length").asInt() > 50,
                "the selector's own lines are marked as inserted");
        assertTrue(page.eval("document.querySelector('.diff-pair[data-a=sync][data-b=selector]').textContent").asText()
                .contains("Selector.open()"));
        assertTrue(page.eval("document.querySelectorAll('.diff-pair[data-a=sync][data-b=selector] .token').length").asInt() > 200,
                "the shown diff is highlighted");
        page.eval("document.getElementById('diff-hide').click(); true");
        assertTrue(page.eval("document.getElementById('diff').hidden").asBoolean(), "hidden again");
        assertLocalOnly(page);
    }

    @Test
    void everyLessonLoadsItsChartsAndPrintsOnItsOwn() throws Exception {
        Browser.Page page = browser.newPage(1100, 900);
        for (String lesson : List.of("overview", "sync", "thread-per-conn", "selector", "virtual-thread", "exercises")) {
            page.open(site.resolve(lesson + ".html").toUri());
            JsonNode broken = page.eval("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)");
            assertEquals(0, broken.size(), lesson + ": charts that did not load: " + broken);
            assertTrue(page.eval("document.querySelectorAll('nav.site a').length").asInt() >= 7, lesson + ": the navigation");
            page.media("print");
            assertEquals("none", page.eval("getComputedStyle(document.querySelector('nav.site')).display").asText(),
                    lesson + ": the navigation is not printed");
            page.media("");
            assertLocalOnly(page);
        }
    }

    /**
     * At a projector's 1280 and a monitor's 1920 pixels, no page of the site is wider than the window: what
     * cannot fit (a wide table, a long line of code) scrolls inside its own box. Measured as the document's
     * scroll width against the window's inner width, on every page of the navigation.
     */
    @Test
    void noPageIsWiderThanTheWindowAt1280Or1920() throws Exception {
        Browser.Page page = browser.newPage(1280, 900);
        for (int width : new int[] {1280, 1920}) {
            page.resize(width, 900);
            for (String[] p : Html.PAGES) {
                page.open(site.resolve(p[0]).toUri());
                int scroll = page.eval("document.documentElement.scrollWidth").asInt();
                int window = page.eval("document.documentElement.clientWidth").asInt();
                assertTrue(scroll <= window, p[0] + " at " + width + " px is " + scroll + " px wide, wider than the window's "
                        + window + ": " + page.eval(WIDEST));
                assertLocalOnly(page);
            }
        }
    }

    /** The elements that stick out past the window's right edge, the outermost first: what a failure names. */
    private static final String WIDEST = """
            [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
              .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                + ' ' + Math.round(e.getBoundingClientRect().width) + ' px')""";

    /** The boxes of every text of each class in the opened SVG, as the browser laid them out. */
    private static final String TEXT_BOXES = """
            (() => { const byClass = {};
              document.querySelectorAll('text[class]').forEach(t => { const r = t.getBoundingClientRect();
                (byClass[t.getAttribute('class')] = byClass[t.getAttribute('class')] || []).push(
                  { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }); });
              return byClass; })()""";

    /**
     * Every chart of the site, opened on its own as the browser draws it: no two labels of one kind (server
     * names, axis ticks, values) overlap, with as many servers as the committed runs hold. A chart drawn
     * with text as glyph outlines has no text to measure, and fails here, so that every chart stays testable.
     */
    @Test
    void noTwoLabelsOfAnyChartOverlap() throws Exception {
        Browser.Page page = browser.newPage(1280, 900);
        List<Path> charts;
        try (var files = java.nio.file.Files.list(site.resolve("figures"))) {
            charts = files.filter(f -> f.toString().endsWith(".svg")).sorted().toList();
        }
        assertTrue(charts.size() > 10, "the site has only " + charts.size() + " charts: " + charts);
        int mostLabels = 0;
        for (Path chart : charts) {
            page.open(chart.toUri());
            JsonNode byClass = page.eval(TEXT_BOXES);
            assertTrue(byClass.size() > 0, chart.getFileName() + " has no text to measure (text drawn as outlines?)");
            for (var kind = byClass.fields(); kind.hasNext(); ) {
                var entry = kind.next();
                JsonNode boxes = entry.getValue();
                if (entry.getKey().equals("label")) {
                    mostLabels = Math.max(mostLabels, boxes.size());
                }
                for (int i = 0; i < boxes.size(); i++) {
                    for (int j = i + 1; j < boxes.size(); j++) {
                        JsonNode a = boxes.get(i);
                        JsonNode b = boxes.get(j);
                        boolean overlap = a.get("left").asDouble() < b.get("right").asDouble() - 0.5
                                && b.get("left").asDouble() < a.get("right").asDouble() - 0.5
                                && a.get("top").asDouble() < b.get("bottom").asDouble() - 0.5
                                && b.get("top").asDouble() < a.get("bottom").asDouble() - 0.5;
                        assertTrue(!overlap, chart.getFileName() + ": the " + entry.getKey() + "s '" + a.get("text").asText()
                                + "' and '" + b.get("text").asText() + "' overlap");
                    }
                }
            }
        }
        assertTrue(mostLabels >= 8, "no chart holds the eight servers of the reference run; most labels on one chart: " + mostLabels);
    }

    /** An exercise's changed lines are not marked until its answer is opened; then they are. */
    @Test
    void anExercisesChangedLinesAreMarkedOnlyOnceItsAnswerIsOpen() throws Exception {
        Browser.Page page = browser.newPage(1100, 900);
        page.open(site.resolve("exercises.html").toUri());
        String background = "getComputedStyle(document.querySelector('#selector-always-writable .line.exercise-change')).backgroundColor";
        String before = page.eval(background).asText();
        assertTrue(page.eval("document.querySelectorAll('#selector-always-writable pre.code .token').length").asInt() > 20,
                "the broken code is highlighted");
        page.eval("document.querySelector('#selector-always-writable details.answer').open = true; true");
        String after = page.eval(background).asText();
        assertEquals("rgba(0, 0, 0, 0)", before, "a changed line is marked before the answer is open");
        assertTrue(!after.equals(before), "opening the answer marks the changed lines: " + after);
        assertLocalOnly(page);
    }

    @Test
    void theSideBySidePagePrintsOnA4Landscape() throws Exception {
        Browser.Page page = browser.newPage(1600, 1000);
        page.open(site.resolve("index.html").toUri());
        String pdf = new String(page.pdf(), StandardCharsets.ISO_8859_1);
        Matcher box = Pattern.compile("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*]").matcher(pdf);
        assertTrue(box.find(), "no page size in the PDF");
        assertEquals(842, Double.parseDouble(box.group(1)), 2, "A4 landscape is 842 x 595 points wide");
        assertEquals(595, Double.parseDouble(box.group(2)), 2, "A4 landscape is 842 x 595 points high");
    }

    private static void assertAligned(JsonNode rows, String where) {
        assertEquals(5, rows.size(), "five rows of sections " + where + ": " + rows);
        rows.fields().forEachRemaining(row -> {
            assertEquals(4, row.getValue().size(), row.getKey() + " has four headings " + where);
            int first = row.getValue().get(0).asInt();
            row.getValue().forEach(top -> assertEquals(first, top.asInt(), 1, "the headings of " + row.getKey() + " stand at "
                    + row.getValue() + " " + where));
        });
    }

    /** The two recorders the other tests rely on see what they should: a page's own requests, and an uncaught error. */
    @Test
    void theBrowserRecordsRequestsAndScriptErrors() throws Exception {
        Browser.Page page = browser.newPage(800, 600);
        page.open(site.resolve("sync.html").toUri());
        page.eval("setTimeout(() => { throw new Error('echo-lab test error'); }, 0); true");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (page.consoleErrors().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(page.consoleErrors().stream().anyMatch(e -> e.contains("echo-lab test error")), "errors seen: " + page.consoleErrors());
        assertTrue(page.awaitRequest("/assets/prism/prism-core.js", Duration.ofSeconds(10)), "requests seen: " + page.requests());
    }

    private static void assertLocalOnly(Browser.Page page) {
        assertTrue(page.requests().stream().anyMatch(u -> u.endsWith(".html")), "no request was recorded, not even the page's own");
        List<String> outside = page.requests().stream().filter(u -> !u.startsWith("file:") && !u.startsWith("data:")
                && !u.equals("about:blank")).toList();
        assertTrue(outside.isEmpty(), "requests that left the machine: " + outside);
        assertTrue(page.consoleErrors().isEmpty(), "script errors: " + page.consoleErrors());
    }
}
