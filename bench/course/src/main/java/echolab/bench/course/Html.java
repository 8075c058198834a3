package echolab.bench.course;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import echolab.bench.results.Table;
import echolab.bench.teaching.TeachingFile;

/** The small pieces every page is built from: escaping, the page frame, code with the file's own line numbers. */
final class Html {

    /** The pages, in the order of the navigation bar: file name and label. */
    static final List<String[]> PAGES = List.of(
            new String[] {"index.html", "Side by side"},
            new String[] {"overview.html", "Overview"},
            new String[] {"sync.html", "sync"},
            new String[] {"thread-per-conn.html", "thread-per-conn"},
            new String[] {"selector.html", "selector"},
            new String[] {"virtual-thread.html", "virtual-thread"},
            new String[] {"framing.html", "framing"},
            new String[] {"seeds.html", "From the seeds"},
            new String[] {"exercises.html", "Exercises"});

    private Html() {
    }

    static String escape(String s) {
        return Table.escape(s);
    }

    /** A whole page: head with the site's own assets only (nothing leaves the machine), navigation, body. */
    static String page(String file, String title, String bodyClass, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] p : PAGES) {
            nav.append(String.format("<a href=\"%s\"%s>%s</a>", p[0], p[0].equals(file) ? " aria-current=\"page\"" : "", escape(p[1])));
        }
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · echo-lab course</title>
                <link rel="stylesheet" href="assets/prism/prism.css">
                <link rel="stylesheet" href="assets/course.css">
                </head>
                <body class="%s">
                <nav class="site">%s</nav>
                %s
                <script src="assets/prism/prism-core.js"></script>
                <script src="assets/prism/prism-clike.js"></script>
                <script src="assets/prism/prism-java.js"></script>
                <script src="assets/prism/prism-python.js"></script>
                <script src="assets/prism/prism-keep-markup.js"></script>
                <script src="assets/course.js"></script>
                </body>
                </html>
                """.formatted(escape(title), bodyClass, nav, body);
    }

    /**
     * Lines {@code from..to} of a file as a highlighted code block: one span per line carrying its own line
     * number ({@code data-n}) and its marks (classes), which Prism's keep-markup plugin leaves in place.
     */
    static String code(TeachingFile file, int from, int to, Set<Integer> shared, Set<Integer> differs) {
        return code(file, from, to, n -> (shared.contains(n) ? " shared" : "") + (differs.contains(n) ? " differs" : ""));
    }

    /** Lines {@code from..to} of a file as a highlighted code block; {@code classes} gives a line's extra classes (" x y"). */
    static String code(TeachingFile file, int from, int to, java.util.function.IntFunction<String> classes) {
        StringBuilder s = new StringBuilder("<pre class=\"code\"><code class=\"language-" + file.language().prism + "\">");
        for (int n = from; n <= to; n++) {
            s.append(line("line" + classes.apply(n), n, file.line(n)));
        }
        return s.append("</code></pre>").toString();
    }

    /**
     * One line of code with its number. Its leading spaces go in a span of their own, and their count in
     * {@code --indent}, so that the stylesheet can wrap a line too long for its column under the line's own
     * first character (a hanging indent) and never between the indentation and the code.
     */
    static String line(String cls, int n, String text) {
        int indent = text.length() - text.stripLeading().length();
        return indent == 0
                ? String.format("<span class=\"%s\" data-n=\"%d\">%s\n</span>", cls, n, escape(text))
                : String.format("<span class=\"%s\" data-n=\"%d\" style=\"--indent: %d\"><span class=\"indent\">%s</span>%s\n</span>",
                        cls, n, indent, text.substring(0, indent), escape(text.substring(indent)));
    }

    private static final Pattern CODE_TAG = Pattern.compile("\\{@code ([^}]*)}");

    /** Javadoc text as HTML: {@code {@code x}} as code, paragraphs kept, {@code <pre>} kept as preformatted text. */
    static String javadoc(List<String> lines) {
        StringBuilder html = new StringBuilder("<p>");
        boolean pre = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.equals("<pre>")) {
                html.append("</p><pre class=\"javadoc-pre\">");
                pre = true;
            } else if (t.equals("</pre>")) {
                html.append("</pre><p>");
                pre = false;
            } else if (pre) {
                html.append(escape(line)).append('\n');
            } else if (t.startsWith("<p>")) {
                html.append("</p><p>").append(inline(t.substring(3))).append(' ');
            } else if (t.isEmpty()) {
                html.append(' ');
            } else {
                html.append(inline(t)).append(' ');
            }
        }
        return html.append("</p>").toString().replace("<p></p>", "").replace("<p> </p>", "");
    }

    private static final Pattern BACKTICKS = Pattern.compile("`([^`]+)`");

    /** A Python docstring as HTML: a paragraph per block of lines, {@code `x`} as code. */
    static String docstring(List<String> lines) {
        StringBuilder html = new StringBuilder();
        for (String paragraph : String.join("\n", lines).strip().split("\n\\s*\n")) {
            String text = paragraph.replace('\n', ' ');
            Matcher m = BACKTICKS.matcher(text);
            html.append("<p>");
            int last = 0;
            while (m.find()) {
                html.append(escape(text.substring(last, m.start()))).append("<code>").append(escape(m.group(1))).append("</code>");
                last = m.end();
            }
            html.append(escape(text.substring(last))).append("</p>");
        }
        return html.toString();
    }

    private static String inline(String text) {
        Matcher m = CODE_TAG.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(escape(text.substring(last, m.start()))).append("<code>").append(escape(m.group(1))).append("</code>");
            last = m.end();
        }
        return out.append(escape(text.substring(last))).toString();
    }

    /** The {@code <pre>} block of a Javadoc, or an empty list. */
    static List<String> preBlock(List<String> javadoc) {
        int from = javadoc.stream().map(String::strip).toList().indexOf("<pre>");
        int to = javadoc.stream().map(String::strip).toList().indexOf("</pre>");
        return from < 0 || to < from ? List.of() : javadoc.subList(from + 1, to);
    }
}
