package echolab.bench.course;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.difflib.patch.DeltaType;

import echolab.bench.teaching.Alignment;
import echolab.bench.teaching.TeachingFile;

/**
 * index.html: the four teaching files in four columns, one row per numbered section, so that section k
 * of every file reads across whatever its length; each column headed by its class Javadoc. Lines the
 * three blocking servers share are marked; the lines where thread-per-conn and virtual-thread differ are
 * highlighted; a control shows any two files as a diff.
 */
final class SideBySide {

    private SideBySide() {
    }

    static String page(Map<String, TeachingFile> files, String generatedFrom) {
        List<TeachingFile> columns = List.copyOf(files.values());
        Map<String, Set<Integer>> shared = Alignment.sharedByBlocking(files);
        Map<String, Set<Integer>> differs = Alignment.threadPairDifference(files);
        StringBuilder s = new StringBuilder();
        s.append("<header class=\"intro\"><h1>The four echo servers, side by side</h1>\n");
        s.append("<p>One protocol (every byte received goes back unchanged, in order), four I/O models. Each row is one "
                + "numbered section of every file, so a section reads across; line numbers are each file's own. "
                + "<span class=\"key shared\">marked</span> lines are the same in the three blocking servers ("
                + String.join(", ", Alignment.BLOCKING) + "); <span class=\"key differs\">highlighted</span> lines are "
                + "where " + String.join(" and ", Alignment.THREAD_PAIR) + " differ. " + generatedFrom + "</p>\n");
        s.append(diffControl(columns));
        s.append("</header>\n");
        s.append(grid(columns, f -> "<h2><a href=\"" + f.server() + ".html\">" + Html.escape(f.server()) + "</a></h2>", 3,
                f -> n -> (shared.getOrDefault(f.server(), Set.of()).contains(n) ? " shared" : "")
                        + (differs.getOrDefault(f.server(), Set.of()).contains(n) ? " differs" : "")));
        return s.toString();
    }

    /**
     * Files in columns, one row per numbered section: a head cell per file ({@code heading}, its path and length,
     * what it says of itself, its preamble folded away), then each section's heading (at {@code sectionLevel}),
     * prose and code, a line's extra classes from {@code lineClasses}, then what follows the last section.
     */
    static String grid(List<TeachingFile> columns, java.util.function.Function<TeachingFile, String> heading, int sectionLevel,
                       java.util.function.Function<TeachingFile, java.util.function.IntFunction<String>> lineClasses) {
        StringBuilder s = new StringBuilder(String.format("<div class=\"grid\" style=\"--columns: %d\">%n", columns.size()));
        for (TeachingFile f : columns) {
            boolean python = f.language() == TeachingFile.Language.PYTHON;
            s.append(String.format("<div class=\"cell head\" data-server=\"%s\">%n%s%n<p class=\"file\">%s · %d lines</p>%n"
                            + "<div class=\"javadoc\">%s</div>%n<details class=\"preamble\"><summary>%s (lines 1–%d)</summary>%s</details>%n</div>%n",
                    f.server(), heading.apply(f), Html.escape(f.path()), f.lines().size(),
                    python ? Html.docstring(f.javadoc().text()) : Html.javadoc(f.javadoc().text()),
                    python ? "the docstring, imports and constants" : "package, imports and the class line", f.preambleEnd(),
                    Html.code(f, 1, f.preambleEnd(), Set.of(), Set.of())));
        }
        for (TeachingFile.Section first : columns.get(0).sections()) {
            int k = first.number();
            for (TeachingFile f : columns) {
                TeachingFile.Section sec = f.section(k);
                s.append(String.format("<div class=\"cell\" data-row=\"%d\" data-server=\"%s\">%n"
                                + "<h%d class=\"section-heading\" id=\"s%d-%s\"><a href=\"#s%d-%s\">%d. %s</a></h%d>%n",
                        k, f.server(), sectionLevel, k, f.server(), k, f.server(), k, Html.escape(sec.title()), sectionLevel));
                if (sec.proseTo() >= sec.proseFrom()) {
                    s.append(String.format("<p class=\"prose\" title=\"lines %d–%d\">%s</p>%n", sec.proseFrom(), sec.proseTo(),
                            Html.escape(sec.prose(f))));
                }
                if (sec.codeTo() >= sec.codeFrom()) {
                    s.append(Html.code(f, sec.codeFrom(), sec.codeTo(), lineClasses.apply(f)));
                }
                s.append("</div>\n");
            }
        }
        for (TeachingFile f : columns) {
            int end = f.sections().getLast().codeTo() + 1;
            s.append(String.format("<div class=\"cell tail\" data-server=\"%s\">%s</div>%n", f.server(),
                    end <= f.lines().size() ? Html.code(f, end, f.lines().size(), Set.of(), Set.of()) : ""));
        }
        return s.append("</div>\n").toString();
    }

    /** Two menus and a button; every ordered pair's diff is in the page, hidden until chosen. */
    private static String diffControl(List<TeachingFile> files) {
        StringBuilder s = new StringBuilder("<form class=\"diff-control\" onsubmit=\"return false\">\n<label>Show ");
        s.append(select("diff-a", files, Alignment.THREAD_PAIR.get(0))).append("</label> <label>against ");
        s.append(select("diff-b", files, Alignment.THREAD_PAIR.get(1))).append("</label> ");
        s.append("<button type=\"button\" id=\"diff-show\">as a diff</button> <button type=\"button\" id=\"diff-hide\" hidden>hide the diff</button>\n</form>\n");
        s.append("<section id=\"diff\" class=\"diff-panels\" hidden>\n");
        for (TeachingFile a : files) {
            for (TeachingFile b : files) {
                if (a != b) {
                    s.append(diff(a, b));
                }
            }
        }
        return s.append("</section>\n").toString();
    }

    private static String select(String id, List<TeachingFile> files, String selected) {
        StringBuilder s = new StringBuilder("<select id=\"" + id + "\">");
        for (TeachingFile f : files) {
            s.append(String.format("<option value=\"%s\"%s>%s</option>", f.server(), f.server().equals(selected) ? " selected" : "",
                    Html.escape(f.server())));
        }
        return s.append("</select>").toString();
    }

    /**
     * Two columns of code, one row per line of the diff; a line missing on one side is an empty line there.
     * Highlighted only when shown (course.js): twelve pairs highlighted at load would hold the page for seconds.
     */
    static String diff(TeachingFile a, TeachingFile b) {
        List<Alignment.Row> rows = Alignment.sideBySide(a, b);
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        int changed = 0;
        for (Alignment.Row r : rows) {
            String kind = r.kind() == DeltaType.EQUAL ? "" : r.kind() == DeltaType.INSERT ? " inserted" : r.kind() == DeltaType.DELETE
                    ? " deleted" : " changed";
            changed += r.kind() == DeltaType.EQUAL ? 0 : 1;
            left.append(side(a, r.left(), kind));
            right.append(side(b, r.right(), kind));
        }
        return String.format("<div class=\"diff-pair\" data-a=\"%s\" data-b=\"%s\" hidden>%n<p class=\"diff-title\">%s (left) against "
                        + "%s (right): %d of %d rows differ</p>%n<div class=\"diff-columns\">"
                        + "<pre class=\"code\"><code data-highlight=\"java\">%s</code></pre>"
                        + "<pre class=\"code\"><code data-highlight=\"java\">%s</code></pre></div>%n</div>%n",
                a.server(), b.server(), Html.escape(a.fileName()), Html.escape(b.fileName()), changed, rows.size(), left, right);
    }

    private static String side(TeachingFile f, Integer line, String kind) {
        if (line == null) {
            return "<span class=\"line filler" + kind + "\"> \n</span>";
        }
        return Html.line("line" + kind, line, f.line(line));
    }
}
