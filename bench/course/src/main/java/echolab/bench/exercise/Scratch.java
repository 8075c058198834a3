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

import echolab.bench.harness.ServerCatalogue;

/**
 * An exercise's broken server, made in a scratch folder and never in the working tree: the teaching
 * file as it is now, with the exercise's patch applied (a few lines away from where it was written is
 * fine), compiled against the real plumbing. Its classes go ahead of the real ones on a class path.
 */
public record Scratch(Path dir, Path source, Path classes, List<String> patched) {

    /** Lines a hunk may have moved, or context lines it may miss, and still apply. */
    static final int FUZZ = 2;

    /** IOException with one line when the patch no longer applies or the result does not compile. */
    public static Scratch make(Exercise exercise, Path root, Path benchJar) throws IOException {
        ServerCatalogue.Teaching entry = ServerCatalogue.teachingServer(exercise.server());
        List<String> original = Files.readAllLines(root.resolve(entry.source()));
        List<String> patched = apply(exercise, original);
        Path dir = Files.createTempDirectory("echolab-exercise-" + exercise.name() + "-");
        Path source = dir.resolve("src").resolve(entry.source());
        Files.createDirectories(source.getParent());
        Files.write(source, patched);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("this Java has no compiler (javax.tools); run echo-lab with a JDK, not a JRE");
        }
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", classes.toString(), "-cp", benchJar.toString(),
                "--release", "21", "-nowarn", "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        if (!ok) {
            throw new IOException("exercise " + exercise.name() + ": the patched " + source.getFileName() + " does not compile:\n"
                    + errors.toString().strip());
        }
        return new Scratch(dir, source, classes, patched);
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
            throw new IOException("exercise " + exercise.name() + " no longer applies to the " + exercise.server()
                    + " teaching file (" + e.getMessage() + "): update its patch in bench/course/src/main/resources/echolab/bench/exercise/exercises/");
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
