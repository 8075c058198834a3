package echolab.bench.teaching;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.DeltaType;

/**
 * How the four teaching files line up: which lines the three blocking servers share, where
 * thread-per-conn and virtual-thread differ, and any two files as a side-by-side diff. Computed from
 * the files with a diff, so it follows them as they change.
 */
public final class Alignment {

    /** The servers that block a thread per connection (or serve one at a time): their section 3 is one text. */
    public static final List<String> BLOCKING = List.of("sync", "thread-per-conn", "virtual-thread");
    /** The pair whose diff is the lesson: the same file but for the line that starts a thread. */
    public static final List<String> THREAD_PAIR = List.of("thread-per-conn", "virtual-thread");

    private Alignment() {
    }

    /** Per blocking server, the lines (inside the numbered sections) that are the same, in the same section, in all three. */
    public static Map<String, Set<Integer>> sharedByBlocking(Map<String, TeachingFile> files) {
        Map<String, Set<Integer>> shared = new LinkedHashMap<>();
        for (String server : BLOCKING) {
            TeachingFile file = files.get(server);
            Set<Integer> lines = null;
            for (String other : BLOCKING) {
                if (!other.equals(server)) {
                    Set<Integer> equal = equalLinesBySection(file, files.get(other));
                    if (lines == null) {
                        lines = equal;
                    } else {
                        lines.retainAll(equal);
                    }
                }
            }
            lines.removeIf(n -> file.line(n).isBlank());
            shared.put(server, lines);
        }
        return shared;
    }

    /**
     * The lines where thread-per-conn and virtual-thread differ inside the numbered sections, their class
     * names set aside (they differ by design): per server, its line numbers.
     */
    public static Map<String, Set<Integer>> threadPairDifference(Map<String, TeachingFile> files) {
        TeachingFile a = files.get(THREAD_PAIR.get(0));
        TeachingFile b = files.get(THREAD_PAIR.get(1));
        Set<Integer> equalA = equalLinesBySection(a, b);
        Set<Integer> equalB = equalLinesBySection(b, a);
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        out.put(a.server(), sectionLinesExcept(a, equalA));
        out.put(b.server(), sectionLinesExcept(b, equalB));
        return out;
    }

    /** One row of a side-by-side diff: a line of each file (null where there is none) and how they relate. */
    public record Row(Integer left, Integer right, DeltaType kind) {
    }

    /** The whole of {@code a} and {@code b} as side-by-side rows, in order. */
    public static List<Row> sideBySide(TeachingFile a, TeachingFile b) {
        List<Row> rows = new ArrayList<>();
        for (AbstractDelta<String> d : DiffUtils.diff(a.lines(), b.lines(), true).getDeltas()) {
            int la = d.getSource().getPosition() + 1;
            int lb = d.getTarget().getPosition() + 1;
            int na = d.getSource().size();
            int nb = d.getTarget().size();
            for (int i = 0; i < Math.max(na, nb); i++) {
                rows.add(new Row(i < na ? la + i : null, i < nb ? lb + i : null, d.getType()));
            }
        }
        return rows;
    }

    /** Lines of {@code file} that the diff finds equal in the same section of {@code other}, names normalised. */
    private static Set<Integer> equalLinesBySection(TeachingFile file, TeachingFile other) {
        Set<Integer> equal = new LinkedHashSet<>();
        for (TeachingFile.Section s : file.sections()) {
            TeachingFile.Section t = other.section(s.number());
            List<String> mine = normalised(file, s);
            List<String> theirs = normalised(other, t);
            for (AbstractDelta<String> d : DiffUtils.diff(mine, theirs, true).getDeltas()) {
                if (d.getType() == DeltaType.EQUAL) {
                    for (int i = 0; i < d.getSource().size(); i++) {
                        equal.add(s.markerLine() + d.getSource().getPosition() + i);
                    }
                }
            }
        }
        return equal;
    }

    private static Set<Integer> sectionLinesExcept(TeachingFile file, Set<Integer> except) {
        Set<Integer> out = new LinkedHashSet<>();
        for (TeachingFile.Section s : file.sections()) {
            for (int n = s.markerLine(); n <= s.codeTo(); n++) {
                if (!except.contains(n) && !file.line(n).isBlank()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private static List<String> normalised(TeachingFile file, TeachingFile.Section s) {
        List<String> out = new ArrayList<>();
        for (int n = s.markerLine(); n <= s.codeTo(); n++) {
            out.add(file.line(n).replace(file.className(), "Server"));
        }
        return out;
    }
}
