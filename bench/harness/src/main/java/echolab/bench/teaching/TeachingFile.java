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
 * A teaching file read as a reader sees it: its class Javadoc, and its numbered sections, each a marker
 * line ({@code // ==== 3. Echo one connection ====}), the comment under it (the section's prose), and
 * its code, up to the next marker. Section 5 ends where the class does. Line numbers are the file's own,
 * from 1. Everything the course and the exercises say about a file is read from here, never retyped.
 */
public record TeachingFile(String server, String path, List<String> lines, Javadoc javadoc, int classLine,
                           List<Section> sections) {

    private static final Pattern MARKER = Pattern.compile("^\\s*// ==== (\\d+)\\. ([^=]+?) ====\\s*$");

    /** The class Javadoc: its lines without the comment's stars, from {@code firstLine} to {@code lastLine}. */
    public record Javadoc(int firstLine, int lastLine, List<String> text) {
    }

    /**
     * One numbered section. Lines are inclusive; {@code proseFrom..proseTo} is the comment right under the
     * marker (empty when {@code proseTo < proseFrom}), {@code codeFrom..codeTo} the rest.
     */
    public record Section(int number, String title, int markerLine, int proseFrom, int proseTo, int codeFrom, int codeTo) {

        /** The prose, one string, without the {@code //}. */
        public String prose(TeachingFile file) {
            List<String> words = new ArrayList<>();
            for (int i = proseFrom; i <= proseTo; i++) {
                words.add(file.line(i).strip().replaceFirst("^//\\s?", ""));
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

    /** IllegalArgumentException, naming the file and line, when the file has no Javadoc, class or markers. */
    public static TeachingFile parse(String server, String path, List<String> lines) {
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
        List<Section> sections = new ArrayList<>();
        for (int k = 0; k < markers.size(); k++) {
            int marker = markers.get(k)[1];
            int end = k + 1 < markers.size() ? markers.get(k + 1)[1] - 1 : classEnd - 1;
            int prose = marker + 1;
            while (prose <= end && lines.get(prose - 1).strip().startsWith("//")) {
                prose++;
            }
            sections.add(new Section(markers.get(k)[0], titles.get(k), marker, marker + 1, prose - 1, prose, end));
        }
        return new TeachingFile(server, path, List.copyOf(lines), javadoc, classLine, List.copyOf(sections));
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

    /** The file's name without its folders, e.g. SyncEchoServer.java. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The class's simple name, e.g. SyncEchoServer. */
    public String className() {
        return fileName().replaceFirst("\\.java$", "");
    }

    /** Lines of code: not blank, not only a comment. */
    public int codeLines() {
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
