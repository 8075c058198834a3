package echolab.bench.exercise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;

import echolab.bench.teaching.TeachingFile;

/**
 * "Here", as an exercise asks "what is wrong here?": the teaching file with the exercise's patch applied,
 * the lines to show (its section, widened to every changed line), the changed lines by their number in the
 * broken file, and the diff against the real file. Shown by {@code exercise show} and the course's page.
 *
 * @param changed lines of {@code broken} that the patch added or changed; where it only removed lines, the
 *                line just above the gap
 */
public record BrokenSection(Exercise exercise, TeachingFile broken, int from, int to, Set<Integer> changed, List<String> diff) {

    /** The exercise's section as the exercise breaks the teaching file under {@code root} now. */
    public static BrokenSection of(Exercise exercise, Path root) throws IOException {
        List<String> original = Files.readAllLines(root.resolve(exercise.source()));
        List<String> patched = Scratch.apply(exercise, original);
        TeachingFile broken = TeachingFile.parse(exercise.server(), exercise.source(), patched);
        TeachingFile.Section section = broken.section(exercise.section());
        Patch<String> change = DiffUtils.diff(original, patched);
        Set<Integer> changed = new TreeSet<>();
        for (AbstractDelta<String> d : change.getDeltas()) {
            int first = d.getTarget().getPosition() + 1;
            if (d.getTarget().size() == 0) {
                changed.add(Math.max(1, first - 1));
            }
            for (int n = first; n < first + d.getTarget().size(); n++) {
                changed.add(n);
            }
        }
        int from = Math.min(section.markerLine(), changed.stream().min(Integer::compare).orElse(section.markerLine()));
        int to = Math.max(section.codeTo(), changed.stream().max(Integer::compare).orElse(section.codeTo()));
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + exercise.source(), "b/" + exercise.source(), original, change, 2);
        return new BrokenSection(exercise, broken, from, to, Set.copyOf(changed), diff);
    }

    /** The shown lines with the broken file's own line numbers, as plain text for a terminal. */
    public String numberedText() {
        int width = String.valueOf(to).length();
        StringBuilder s = new StringBuilder();
        for (int n = from; n <= to; n++) {
            s.append(String.format("%" + width + "d  %s%n", n, broken.line(n)));
        }
        return s.toString();
    }
}
