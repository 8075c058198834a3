package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;

import echolab.bench.exercise.BrokenSection;
import echolab.bench.exercise.Exercise;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.teaching.TeachingFile;

/**
 * exercises.html: every exercise with its question, the section as the exercise breaks it (highlighted, with the
 * file's line numbers), a hint, and the answer folded away; opening the answer marks the changed lines.
 */
final class ExercisesPage {

    private ExercisesPage() {
    }

    static String html(Path root) throws IOException {
        StringBuilder s = new StringBuilder("<article class=\"lesson\">\n<h1>Exercises: what is wrong here?</h1>\n");
        s.append("<p>Each exercise is one classic mistake, made in a copy of a real teaching file and shown here as the "
                + "exercise breaks it, with the file's own line numbers (one breaks a Python peer's file, asyncore's twin of the selector server). Read the question and the code, and say what goes wrong "
                + "before you open the answer, which marks the changed lines and shows the diff. <code>./echolab exercise run NAME</code> "
                + "builds the broken server, runs the contract suite against it, measures the symptom beside the real "
                + "server, and prints the answer; <code>./echolab exercise check</code> grades your own servers.</p>\n");
        for (Exercise e : Exercise.all()) {
            BrokenSection here = BrokenSection.of(e, root);
            TeachingFile.Section section = here.broken().section(e.section());
            s.append(String.format("<section class=\"exercise\" id=\"%s\">%n<h2>%s</h2>%n<p><strong>%s</strong> · "
                            + "%s, section %d (%s), lines %d–%d, as this exercise breaks it (the real section: "
                            + "<a href=\"%s#s%d-%s\">side by side</a>)</p>%n<p>%s</p>%n%s%n"
                            + "<details class=\"hint\"><summary>Hint</summary><p>%s</p></details>%n"
                            + "<details class=\"answer\"><summary>Answer</summary><p>%s</p>"
                            + "<pre class=\"diff\"><code>%s</code></pre></details>%n"
                            + "<p class=\"source\">Run it: <code>./echolab exercise run %s</code> (symptom measured: %s)</p>%n</section>%n",
                    e.name(), Html.escape(e.title()), Html.escape(e.server()), Html.escape(here.broken().fileName()), e.section(),
                    Html.escape(section.title()), here.from(), here.to(), page(e), e.section(),
                    e.server(), Html.escape(e.question()),
                    Html.code(here.broken(), here.from(), here.to(), n -> here.changed().contains(n) ? " exercise-change" : ""),
                    Html.escape(e.hint()), Html.escape(e.answer()), Html.escape(String.join("\n", here.diff())),
                    e.name(), Html.escape(e.symptom().description())));
        }
        return s.append("</article>").toString();
    }

    /** The page that shows the real file side by side: the framing lesson for a line server, seeds.html for a Python peer. */
    private static String page(Exercise e) {
        if (ServerCatalogue.lines().stream().anyMatch(l -> l.name().equals(e.server()))) {
            return "framing.html";
        }
        return e.pythonPeer().isPresent() ? "seeds.html" : "index.html";
    }
}
