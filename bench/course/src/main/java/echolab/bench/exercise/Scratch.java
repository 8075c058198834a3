package echolab.bench.exercise;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;

import echolab.bench.harness.PythonPeers;

/**
 * An exercise's broken server, made in a scratch folder and never in the working tree: the file as it is
 * now, with the exercise's patch applied (a few lines away from where it was written is fine), under
 * {@link #tree()} at its path in a checkout. A Java teaching file is compiled against the real plumbing, and
 * its classes go ahead of the real ones on a class path; a Python peer's file runs as it is, from the scratch
 * tree, beside a copy of the peers' helper.
 */
public record Scratch(Path dir, Path source, List<String> patched) {

    /** Lines a hunk may have moved, or context lines it may miss, and still apply. */
    static final int FUZZ = 2;

    /** IOException with one line when the patch no longer applies or the result does not compile. */
    public static Scratch make(Exercise exercise, Path root, Path benchJar) throws IOException {
        List<String> original = Files.readAllLines(root.resolve(exercise.source()));
        List<String> patched = apply(exercise, original);
        Path dir = Files.createTempDirectory("echolab-exercise-" + exercise.name() + "-");
        Scratch scratch = new Scratch(dir, dir.resolve("src").resolve(exercise.source()), patched);
        Files.createDirectories(scratch.source().getParent());
        Files.write(scratch.source(), patched);
        if (exercise.pythonPeer().isPresent()) {
            Path helper = Path.of(PythonPeers.FOLDER, PythonPeers.HELPER);
            Files.copy(root.resolve(helper), scratch.tree().resolve(helper));
            return scratch;
        }
        Files.createDirectories(scratch.classes());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("this Java has no compiler (javax.tools); run echo-lab with a JDK, not a JRE");
        }
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", scratch.classes().toString(), "-cp", benchJar.toString(),
                "--release", "21", "-nowarn", "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(scratch.source().toFile())).call();
        if (!ok) {
            throw new IOException("exercise " + exercise.name() + ": the patched " + scratch.source().getFileName() + " does not compile:\n"
                    + errors.toString().strip());
        }
        return scratch;
    }

    /** The scratch checkout: the broken file at its own path under it (a Python peer runs from here). */
    public Path tree() {
        return dir.resolve("src");
    }

    /** The broken Java file's classes, to go ahead of the real ones on a class path. */
    public Path classes() {
        return dir.resolve("classes");
    }

    /** The teaching file with the exercise's patch applied; IOException naming the exercise when it no longer applies. */
    static List<String> apply(Exercise exercise, List<String> original) throws IOException {
        try {
            Patch<String> patch = UnifiedDiffUtils.parseUnifiedDiff(exercise.patch());
            if (patch.getDeltas().isEmpty()) {
                throw new IOException("exercise " + exercise.name() + ": its patch holds no change");
            }
            return patch.applyFuzzy(original, FUZZ);
        } catch (PatchFailedException | IndexOutOfBoundsException e) {
            throw new IOException("exercise " + exercise.name() + " no longer applies to " + exercise.source()
                    + " (" + e.getMessage() + "): update its patch in bench/course/src/main/resources/echolab/bench/exercise/exercises/");
        }
    }

    /** Removes the scratch folder. */
    public void delete() {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
