package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;

import echolab.bench.exercise.Exercise;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.teaching.TeachingFile;

/** exercises.html: every exercise with its question and hint, where to look, and the answer folded away. */
final class ExercisesPage {

    private ExercisesPage() {
    }

    static String html(Path root) throws IOException {
        StringBuilder s = new StringBuilder("<article class=\"lesson\">\n<h1>Exercises: what is wrong here?</h1>\n");
        s.append("<p>Each exercise is one classic mistake, made in a copy of a real teaching file. Read the question, look at "
                + "the section it names, and say what goes wrong before you run it. <code>./echolab exercise run NAME</code> "
                + "builds the broken server, runs the contract suite against it, measures the symptom beside the real "
                + "server, and prints the answer; <code>./echolab exercise check</code> grades your own servers.</p>\n");
        for (Exercise e : Exercise.all()) {
            TeachingFile file = TeachingFile.read(root, ServerCatalogue.teachingServer(e.server()));
            TeachingFile.Section section = file.section(e.section());
            s.append(String.format("<section class=\"exercise\" id=\"%s\">%n<h2>%s</h2>%n<p><strong>%s</strong> · look at "
                            + "<a href=\"index.html#s%d-%s\">%s, section %d (%s)</a></p>%n<p>%s</p>%n"
                            + "<details class=\"hint\"><summary>Hint</summary><p>%s</p></details>%n"
                            + "<details class=\"answer\"><summary>Answer</summary><p>%s</p></details>%n"
                            + "<p class=\"source\">Run it: <code>./echolab exercise run %s</code> (symptom measured: %s)</p>%n</section>%n",
                    e.name(), Html.escape(e.title()), Html.escape(e.server()), e.section(), e.server(), Html.escape(file.fileName()),
                    e.section(), Html.escape(section.title()), Html.escape(e.question()), Html.escape(e.hint()), Html.escape(e.answer()),
                    e.name(), Html.escape(e.symptom().description())));
        }
        return s.append("</article>").toString();
    }
}
