package echolab.bench.course;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import echolab.bench.teaching.TeachingFile;

/**
 * The lessons: prose written in Markdown (bench/course/src/main/resources/echolab/bench/course/lessons/), made
 * into pages with what only the files and the runs can say. Two kinds of block do that:
 *
 * <pre>
 * ```quote                              ```figure
 * file: selector                        idle-memory selector
 * section: 3                            ```
 * from: readBuffer.clear();
 * to: pendingOutput = ByteBuffer
 * ```
 * </pre>
 *
 * A quote is lines of a teaching file, found by their text within a section when the page is made and
 * shown with the file's own line numbers; a figure is one of {@link Figures}. The prose may not drift
 * from the files: every {@code `inline code`} must appear in a teaching file, every quote must find its
 * lines, and the prose holds no number of its own (figures bring the numbers); otherwise the course is
 * not made and the message names the lesson and what is wrong.
 */
final class Lessons {

    /** The lesson pages, in order; each has a Markdown source of the same name. */
    static final List<String> NAMES = List.of("overview", "sync", "thread-per-conn", "selector", "virtual-thread", "framing");

    private static final Pattern SECTION_REFERENCE = Pattern.compile("(?i)\\bsections? \\d( (and|or|to) \\d)?\\b");

    /** A lesson whose prose or quotes no longer match the files: every problem, one per line. */
    static final class LessonError extends IllegalArgumentException {
        LessonError(String lesson, List<String> problems) {
            this("lesson " + lesson + ".md:\n  " + String.join("\n  ", problems));
        }

        private LessonError(String message) {
            super(message);
        }

        /** A page (not a lesson) that quotes a file which no longer holds what it quotes. */
        static LessonError onPage(String page, String problem) {
            return new LessonError(page + ": " + problem);
        }
    }

    /** A rendered lesson: its title (the first heading) and its HTML. */
    record Page(String name, String title, String html) {
    }

    private Lessons() {
    }

    /** The files a lesson may quote and name: the four teaching files; for the framing lesson, the line servers' too. */
    static Map<String, TeachingFile> files(String name, CourseData data) {
        return name.equals("framing") ? data.quotable() : data.files();
    }

    static String source(String name) throws IOException {
        try (InputStream in = Lessons.class.getResourceAsStream("lessons/" + name + ".md")) {
            if (in == null) {
                throw new IOException("no lesson " + name + ".md on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Page render(String name, String markdown, Map<String, TeachingFile> files, Figures figures) throws IOException {
        Node document = Parser.builder().build().parse(markdown);
        List<String> problems = new ArrayList<>();
        Map<FencedCodeBlock, String> replacements = new LinkedHashMap<>();
        String[] title = {name};
        List<IOException> failures = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock block) {
                String info = block.getInfo() == null ? "" : block.getInfo().strip();
                if (info.equals("quote")) {
                    try {
                        replacements.put(block, quote(block.getLiteral(), files));
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                } else if (info.equals("figure")) {
                    String problem = Figures.problem(block.getLiteral());
                    if (problem != null) {
                        problems.add(problem);
                    } else {
                        try {
                            replacements.put(block, figures.figure(block.getLiteral()).html());
                        } catch (IOException e) {
                            failures.add(e);
                        }
                    }
                }
            }

            @Override
            public void visit(Code code) {
                if (files.values().stream().noneMatch(f -> f.lines().stream().anyMatch(l -> l.contains(code.getLiteral())))) {
                    problems.add("`" + code.getLiteral() + "` is in no teaching file");
                }
            }

            @Override
            public void visit(Text text) {
                String rest = SECTION_REFERENCE.matcher(text.getLiteral()).replaceAll("");
                if (rest.chars().anyMatch(Character::isDigit)) {
                    problems.add("a number in the prose ('" + text.getLiteral().strip() + "'): numbers come from figures and quotes");
                }
            }

            @Override
            public void visit(Heading heading) {
                if (heading.getLevel() == 1 && heading.getFirstChild() instanceof Text t && title[0].equals(name)) {
                    title[0] = t.getLiteral();
                }
                visitChildren(heading);
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        if (!problems.isEmpty()) {
            throw new LessonError(name, problems);
        }
        replacements.forEach((block, html) -> {
            HtmlBlock h = new HtmlBlock();
            h.setLiteral(html);
            block.insertBefore(h);
            block.unlink();
        });
        return new Page(name, title[0], HtmlRenderer.builder().build().render(document));
    }

    /** A quote block: "file:", "section:", "from:" and optionally "to:" (the last line, found at or after "from"). */
    static String quote(String spec, Map<String, TeachingFile> files) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : spec.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                keys.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        for (String required : List.of("file", "section", "from")) {
            if (!keys.containsKey(required)) {
                throw new IllegalArgumentException("a quote block without '" + required + ":': " + spec.strip().replace('\n', ' '));
            }
        }
        TeachingFile file = files.get(keys.get("file"));
        if (file == null) {
            throw new IllegalArgumentException("a quote of '" + keys.get("file") + "', which is not a teaching server or a line server");
        }
        int section = Integer.parseInt(keys.get("section"));
        int from = file.find(section, keys.get("from"));
        int to = from;
        if (keys.containsKey("to")) {
            to = -1;
            TeachingFile.Section s = file.section(section);
            for (int n = from; n <= s.codeTo() && to < 0; n++) {
                if (file.line(n).contains(keys.get("to"))) {
                    to = n;
                }
            }
            if (to < 0) {
                throw new IllegalArgumentException(file.fileName() + " section " + section + " has no line containing '"
                        + keys.get("to") + "' at or after line " + from);
            }
        }
        TeachingFile.Section s = file.section(section);
        return String.format("<figure class=\"quote\">%s<figcaption>%s, section %d (%s), %s</figcaption></figure>",
                Html.code(file, from, to, Set.of(), Set.of()), Html.escape(file.fileName()), section, Html.escape(s.title()),
                from == to ? "line " + from : "lines " + from + "–" + to);
    }
}
