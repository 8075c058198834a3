package echolab.bench.teaching;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import echolab.bench.harness.ServerCatalogue;

/**
 * A teaching file read as a reader sees it: what it says of itself, and its numbered sections, each a marker
 * line ({@code // ==== 3. Echo one connection ====}), the comment under it (the section's prose), and
 * its code, up to the next marker. A Java file says what it is in its class Javadoc and its section 5 ends
 * where the class does; a Python file (a Python peer, {@code # ==== 3. Echo one connection ====}) in its
 * module docstring, and its section 5 ends where {@code if __name__ == "__main__":} begins. Line numbers are
 * the file's own, from 1. Everything the course and the exercises say about a file is read from here,
 * never retyped.
 *
 * @param preambleEnd the last line before the sections that the course shows as the file's preamble: the
 *                    class line in Java; the docstring, imports and constants in Python
 */
public record TeachingFile(String server, String path, List<String> lines, Javadoc javadoc, int preambleEnd,
                           List<Section> sections) {

    private static final Pattern MARKER = Pattern.compile("^\\s*// ==== (\\d+)\\. ([^=]+?) ====\\s*$");
    private static final Pattern PYTHON_MARKER = Pattern.compile("^\\s*# ==== (\\d+)\\. ([^=]+?) ====\\s*$");

    /** The language a teaching file is written in, and its name for Prism's highlighting. */
    public enum Language {
        JAVA("java", "//"), PYTHON("python", "#");

        public final String prism;
        final String comment;

        Language(String prism, String comment) {
            this.prism = prism;
            this.comment = comment;
        }
    }

    /**
     * What the file says of itself, its lines without the comment's stars (Javadoc) or quotes (a docstring),
     * from {@code firstLine} to {@code lastLine}.
     */
    public record Javadoc(int firstLine, int lastLine, List<String> text) {
    }

    /**
     * One numbered section. Lines are inclusive; {@code proseFrom..proseTo} is the comment right under the
     * marker (empty when {@code proseTo < proseFrom}), {@code codeFrom..codeTo} the rest.
     */
    public record Section(int number, String title, int markerLine, int proseFrom, int proseTo, int codeFrom, int codeTo) {

        /** The prose, one string, without the {@code //} (or {@code #}). */
        public String prose(TeachingFile file) {
            List<String> words = new ArrayList<>();
            for (int i = proseFrom; i <= proseTo; i++) {
                words.add(file.line(i).strip().replaceFirst("^" + file.language().comment + "\\s?", ""));
            }
            return String.join(" ", words);
        }
    }

    /** Reads the teaching file of {@code server} from the checkout at {@code root}. */
    public static TeachingFile read(Path root, ServerCatalogue.TeachingServer server) throws IOException {
        return parse(server.name(), server.source(), Files.readAllLines(root.resolve(server.source())));
    }

    /** All four, in the catalogue's order. */
    public static List<TeachingFile> readAll(Path root) throws IOException {
        List<TeachingFile> files = new ArrayList<>();
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            files.add(read(root, e));
        }
        return files;
    }

    /** Reads the Python peer's file {@code path} (under the checkout {@code root}) as a teaching file. */
    public static TeachingFile readPython(Path root, String server, String path) throws IOException {
        return parse(server, path, Files.readAllLines(root.resolve(path)));
    }

    /**
     * IllegalArgumentException, naming the file and line, when the file has no Javadoc and class (a docstring,
     * in Python) or no markers.
     */
    public static TeachingFile parse(String server, String path, List<String> lines) {
        if (path.endsWith(".py")) {
            return parsePython(server, path, lines);
        }
        int classLine = -1;
        for (int i = 0; i < lines.size() && classLine < 0; i++) {
            if (lines.get(i).matches("^public (final )?class \\w+.*")) {
                classLine = i + 1;
            }
        }
        if (classLine < 0) {
            throw new IllegalArgumentException(path + ": no top-level public class");
        }
        Javadoc javadoc = javadoc(path, lines, classLine);
        int classEnd = lines.size();
        while (classEnd > classLine && !lines.get(classEnd - 1).equals("}")) {
            classEnd--;
        }
        List<int[]> markers = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int i = classLine; i < classEnd; i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (m.matches()) {
                markers.add(new int[] {Integer.parseInt(m.group(1)), i + 1});
                titles.add(m.group(2).strip());
            }
        }
        if (markers.isEmpty()) {
            throw new IllegalArgumentException(path + ": no section markers ('// ==== 1. Title ====')");
        }
        return new TeachingFile(server, path, List.copyOf(lines), javadoc, classLine,
                sections(lines, markers, titles, classEnd - 1, Language.JAVA));
    }

    /** Sections from their markers ({number, line}); the last ends at {@code lastLine}. */
    private static List<Section> sections(List<String> lines, List<int[]> markers, List<String> titles, int lastLine, Language language) {
        List<Section> sections = new ArrayList<>();
        for (int k = 0; k < markers.size(); k++) {
            int marker = markers.get(k)[1];
            int end = k + 1 < markers.size() ? markers.get(k + 1)[1] - 1 : lastLine;
            int prose = marker + 1;
            while (prose <= end && lines.get(prose - 1).strip().startsWith(language.comment)) {
                prose++;
            }
            sections.add(new Section(markers.get(k)[0], titles.get(k), marker, marker + 1, prose - 1, prose, end));
        }
        return List.copyOf(sections);
    }

    /** A Python file: the module docstring first, then the markers; section 5 ends before {@code if __name__ == "__main__":}. */
    private static TeachingFile parsePython(String server, String path, List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).startsWith("\"\"\"")) {
            throw new IllegalArgumentException(path + ": no module docstring on line 1");
        }
        String first = lines.get(0).strip();
        int docEnd = first.length() >= 6 && first.endsWith("\"\"\"") ? 1 : -1;     // a docstring of one line
        for (int i = 1; i < lines.size() && docEnd < 0; i++) {
            if (lines.get(i).strip().endsWith("\"\"\"")) {
                docEnd = i + 1;
            }
        }
        if (docEnd < 0) {
            throw new IllegalArgumentException(path + ": the module docstring does not end");
        }
        List<String> text = new ArrayList<>();
        for (int i = 1; i <= docEnd; i++) {
            text.add(lines.get(i - 1).replace("\"\"\"", "").strip());
        }
        while (!text.isEmpty() && text.getLast().isEmpty()) {
            text.removeLast();
        }
        int mainLine = lines.size() + 1;
        for (int i = docEnd; i < lines.size() && mainLine > lines.size(); i++) {
            if (lines.get(i).startsWith("if __name__ == ")) {
                mainLine = i + 1;
            }
        }
        List<int[]> markers = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int i = docEnd; i < mainLine - 1; i++) {
            Matcher m = PYTHON_MARKER.matcher(lines.get(i));
            if (m.matches()) {
                markers.add(new int[] {Integer.parseInt(m.group(1)), i + 1});
                titles.add(m.group(2).strip());
            }
        }
        if (markers.isEmpty()) {
            throw new IllegalArgumentException(path + ": no section markers ('# ==== 1. Title ====')");
        }
        int preambleEnd = markers.get(0)[1] - 1;
        while (preambleEnd > docEnd && lines.get(preambleEnd - 1).isBlank()) {
            preambleEnd--;
        }
        int last = mainLine - 1;
        while (last > markers.getLast()[1] && lines.get(last - 1).isBlank()) {
            last--;
        }
        return new TeachingFile(server, path, List.copyOf(lines), new Javadoc(1, docEnd, List.copyOf(text)), preambleEnd,
                sections(lines, markers, titles, last, Language.PYTHON));
    }

    /** Java, or Python for a {@code .py} file. */
    public Language language() {
        return path.endsWith(".py") ? Language.PYTHON : Language.JAVA;
    }

    /** The Javadoc right above the class: each line without its star; inside {@code <pre>} the indentation is kept. */
    private static Javadoc javadoc(String path, List<String> lines, int classLine) {
        int end = classLine - 1;
        while (end > 0 && lines.get(end - 1).strip().startsWith("@")) {
            end--;                                         // annotations between the Javadoc and the class
        }
        if (end == 0 || !lines.get(end - 1).strip().endsWith("*/")) {
            throw new IllegalArgumentException(path + ": no class Javadoc right above line " + classLine);
        }
        int start = end;
        while (start > 1 && !lines.get(start - 1).strip().startsWith("/**")) {
            start--;
        }
        List<String> text = new ArrayList<>();
        boolean pre = false;
        for (int i = start + 1; i < end; i++) {
            String raw = lines.get(i - 1);
            int star = raw.indexOf('*');
            String body = star < 0 ? raw.strip() : raw.substring(Math.min(raw.length(), star + 2));
            if (body.strip().equals("<pre>") || body.strip().equals("</pre>")) {
                pre = body.strip().equals("<pre>");
            }
            text.add(pre ? body.stripTrailing() : body.strip());
        }
        return new Javadoc(start, end, List.copyOf(text));
    }

    /** Line {@code n} (from 1). */
    public String line(int n) {
        return lines.get(n - 1);
    }

    public Section section(int number) {
        return sections.stream().filter(s -> s.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + " has no section " + number));
    }

    /** The file's name without its folders, e.g. SyncEchoServer.java or py_blocking.py. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The class's simple name, e.g. SyncEchoServer. */
    public String className() {
        return fileName().replaceFirst("\\.java$", "");
    }

    /** Lines of code: not blank, not only a comment (nor the docstring of a Python file). */
    public int codeLines() {
        if (language() == Language.PYTHON) {
            int n = 0;
            for (int i = javadoc.lastLine() + 1; i <= lines.size(); i++) {
                String s = line(i).strip();
                n += s.isEmpty() || s.startsWith("#") ? 0 : 1;
            }
            return n;
        }
        int n = 0;
        boolean inComment = false;
        for (String l : lines) {
            String s = l.strip();
            if (inComment) {
                inComment = !s.contains("*/");
            } else if (s.startsWith("/*")) {
                inComment = !s.contains("*/");
            } else if (!s.isEmpty() && !s.startsWith("//")) {
                n++;
            }
        }
        return n;
    }

    /**
     * The first line of section {@code section} that contains {@code text}; IllegalArgumentException
     * naming the file when there is none: a lesson that quotes a line that is no
     * longer there must fail, not quote something else.
     */
    public int find(int section, String text) {
        Section s = section(section);
        for (int i = s.markerLine(); i <= s.codeTo(); i++) {
            if (line(i).contains(text)) {
                return i;
            }
        }
        throw new IllegalArgumentException(fileName() + " section " + section + " (" + s.title() + ") has no line containing '"
                + text + "'");
    }
}
