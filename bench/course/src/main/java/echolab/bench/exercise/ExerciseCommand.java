package echolab.bench.exercise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import echolab.bench.base.RunOutput;
import echolab.bench.harness.Machine;

import echolab.bench.harness.Checkout;
import echolab.bench.exercise.ContractRunner.TestResult;
import echolab.bench.harness.Launcher;
import echolab.bench.harness.NativePeers;
import echolab.bench.harness.Pinning;
import echolab.bench.harness.ServerCatalogue;
import echolab.bench.harness.ServerProcess;
import echolab.bench.teaching.TeachingFile;
import echolab.common.Framing;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./echolab exercise list|show|run|check}: "what is wrong here?" exercises, graded by the contract suite. */
@Command(name = "exercise", sortOptions = false, usageHelpAutoWidth = true,
        description = "\"What is wrong here?\" exercises: each is a classic mistake, made in a scratch copy of a real teaching "
                + "file and caught by the contract suite.",
        footer = {"", "Example: ./echolab exercise run selector-always-writable",
            "Exit status: list, show: 0; run: 0 when the contract suite caught the mistake, 1 when not (or the run failed); "
                + "check: 0 when every test passed, 1 otherwise; 2 bad usage (an unknown exercise: the names are listed)."})
public final class ExerciseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Checkout checkout;

    /** Without an action: a usage error that names them. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "choose an action: "
                + String.join(", ", spec.subcommands().keySet()) + " (./echolab exercise --help)");
    }

    @Command(name = "list", description = "The exercises: name, model, question.")
    int list() throws IOException {
        List<Exercise> all = Exercise.all();
        int width = all.stream().mapToInt(e -> e.name().length()).max().orElse(10);
        for (Exercise e : all) {
            System.out.printf("%-" + width + "s  %-26s %s%n", e.name(), e.server() + ", section " + e.section(), e.title());
            System.out.println("    " + wrap(e.question(), 96, "    "));
        }
        System.out.println();
        System.out.println("./echolab exercise show NAME for where to look and a hint; ./echolab exercise run NAME to see it break.");
        return 0;
    }

    @Command(name = "show", description = "The question, the broken section with its line numbers, a hint.")
    int show(@Parameters(arity = "0..1", paramLabel = "NAME", description = "The exercise.") String name,
             @Option(names = "--answer", description = "Print the answer too, and the mistake as a diff against the real file.")
             boolean answer) throws IOException {
        Exercise e = exercise("show", name);
        BrokenSection here = BrokenSection.of(e, checkout.root());
        TeachingFile.Section s = here.broken().section(e.section());
        System.out.printf("%s: %s%n%n", e.name(), e.title());
        System.out.printf("What is wrong here? %s%n%n", wrap(e.question(), 100, ""));
        System.out.printf("Here: %s, section %d (%s), lines %d-%d, as this exercise breaks it:%n%n", here.broken().path(), s.number(),
                s.title(), here.from(), here.to());
        System.out.println(here.numberedText());
        System.out.printf("Hint: %s%n", wrap(e.hint(), 100, ""));
        if (answer) {
            System.out.printf("%nAnswer: %s%n", wrap(e.answer(), 100, ""));
            System.out.printf("%nThe mistake, as a diff against the real file:%n%s%n", String.join("\n", here.diff()));
        } else {
            System.out.printf("%nThe answer: ./echolab exercise show %s --answer, or run it: ./echolab exercise run %s%n", e.name(), e.name());
        }
        return 0;
    }

    /** The exercise called {@code name}; a usage error listing the names when there is no such one, or no name. */
    private Exercise exercise(String action, String name) throws IOException {
        try {
            if (name == null) {
                throw new IllegalArgumentException(action + " needs an exercise's name; the exercises are: "
                        + String.join(", ", Exercise.all().stream().map(Exercise::name).toList()));
            }
            return Exercise.named(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code text} broken into lines of at most {@code width} characters, every line after the first starting with {@code indent}. */
    private static String wrap(String text, int width, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return String.join("\n" + indent, lines);
    }

    @Command(name = "run", description = "Build the broken server in a scratch folder, run the contract suite against it, "
            + "measure the symptom beside the real server, print the answer.")
    int run(@Parameters(arity = "0..1", paramLabel = "NAME", description = "The exercise.") String name,
            @Option(names = "--save", description = "Also keep what was measured in results/exercise/TIME-NAME.json, where the "
                    + "course finds the newest run of each exercise.") boolean save)
            throws IOException, InterruptedException {
        Exercise e = exercise("run", name);
        Instant started = Instant.now();
        Path root = checkout.root();
        Path benchJar = benchJar(root);
        System.out.printf("Exercise %s: %s%n  %s, section %d%n  What is wrong here? %s%n%n", e.name(), e.title(), e.source(),
                e.section(), wrap(e.question(), 96, "  "));
        Scratch scratch;
        try {
            scratch = Scratch.make(e, root, benchJar);
        } catch (IOException ex) {
            System.err.println("exercise: " + ex.getMessage());
            return 1;
        }
        try {
            System.out.printf("1. The broken copy, built in %s (the working tree is untouched). The change:%n", scratch.dir());
            e.patch().stream().filter(l -> (l.startsWith("+") || l.startsWith("-")) && !l.startsWith("+++") && !l.startsWith("---"))
                    .forEach(l -> System.out.println("     " + l));
            System.out.println();
            Optional<ServerCatalogue.PythonPeer> python = e.pythonPeer();
            System.out.println(python.isPresent() ? "2. The contract on the wire against it, run from the scratch folder (each check "
                    + "on a server of its own, bounded):" : "2. The contract suite against it (each test bounded; read timeouts "
                    + ContractSuite.READ_TIMEOUT_MILLIS + " ms):");
            List<TestResult> results = python.isPresent() ? ContractSuite.onTheWire(python.get(), scratch.tree())
                    : ContractSuite.run(e.server(), List.of(scratch.classes()), benchJar);
            long failed = results.stream().filter(TestResult::failed).count();
            for (TestResult r : results) {
                if (r.failed()) {
                    System.out.printf("     FAIL  %s: %s%n", r.test(), r.message());
                }
            }
            System.out.printf("     %d passed, %d failed, %d skipped%n", results.stream().filter(TestResult::passed).count(), failed,
                    results.stream().filter(r -> !r.failed() && !r.passed()).count());
            System.out.println(failed > 0 ? "     Caught." : "     NOT caught: no contract test failed. That is a gap in the suite.");
            System.out.println();
            // Not pinned: some mistakes (threads sharing a buffer) only show with threads truly running at once.
            System.out.printf("3. The symptom, measured: %s. The broken server and the real one, each in its own %s:%n",
                    e.symptom().description(), python.isPresent() ? "process" : "JVM");
            Launcher launcher = new Launcher(Launcher.currentJava(), new Pinning(null, null), NativePeers.none());
            SymptomProbe.Reading broken;
            SymptomProbe.Reading real;
            if (python.isPresent()) {
                ServerCatalogue.PythonPeer peer = python.get();
                try (ServerProcess p = launcher.start(peer, scratch.tree(), List.of())) {
                    broken = SymptomProbe.measure(e.symptom(), p, peer.oneAtATime(), peer.threads());
                }
                try (ServerProcess p = launcher.start(peer, root, List.of())) {
                    real = SymptomProbe.measure(e.symptom(), p, peer.oneAtATime(), peer.threads());
                }
            } else {
                ServerCatalogue.TeachingServer entry = e.javaServer().orElseThrow();
                Optional<Framing> framing = e.symptom().framing();
                try (ServerProcess p = launcher.start(entry, List.of(scratch.classes(), benchJar), "broken " + e.server(), framing)) {
                    broken = SymptomProbe.measure(e.symptom(), p, entry.oneAtATime(), entry.threads());
                }
                try (ServerProcess p = launcher.start(entry, List.of(entry.jarIn(root)), e.server(), framing)) {
                    real = SymptomProbe.measure(e.symptom(), p, entry.oneAtATime(), entry.threads());
                }
            }
            printSymptom(broken, real);
            if (save) {
                save(e, root, started, results, broken, real);
            }
            System.out.println();
            System.out.printf("4. The answer: %s%n", wrap(e.answer(), 96, "   "));
            return failed > 0 ? 0 : 1;
        } finally {
            scratch.delete();
        }
    }

    /** The run as results/exercise/TIME-NAME.json, written whole. */
    private static void save(Exercise e, Path root, Instant started, List<TestResult> results, SymptomProbe.Reading broken,
                             SymptomProbe.Reading real) throws IOException, InterruptedException {
        String id = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
        List<ExerciseRun.Observation> observations = new ArrayList<>();
        for (int i = 0; i < broken.observations().size(); i++) {
            observations.add(new ExerciseRun.Observation(broken.observations().get(i).name(), broken.observations().get(i).value(),
                    i < real.observations().size() ? real.observations().get(i).value() : null));
        }
        ExerciseRun run = new ExerciseRun(ExerciseRun.SCHEMA, ExerciseRun.SCHEMA_VERSION, id, e.name(), e.server(),
                "./echolab exercise run " + e.name() + " --save", started.toString(), Machine.describe(root, new Pinning(null, null)),
                results.stream().filter(TestResult::failed).map(TestResult::test).toList(), results.size(), e.symptom().description(),
                observations, broken.healthy(), real.healthy());
        Path file = RunOutput.writeNew(ExerciseRun.folder(root), id + "-" + e.name(), ".json", run::write);
        System.out.println("     Saved in " + root.relativize(file) + ".");
    }

    private static void printSymptom(SymptomProbe.Reading broken, SymptomProbe.Reading real) {
        int width = broken.observations().stream().mapToInt(f -> f.name().length()).max().orElse(10);
        System.out.printf("     %-" + width + "s  %-24s %s%n", "", "broken", "real");
        for (int i = 0; i < broken.observations().size(); i++) {
            System.out.printf("     %-" + width + "s  %-24s %s%n", broken.observations().get(i).name(), broken.observations().get(i).value(),
                    i < real.observations().size() ? real.observations().get(i).value() : "");
        }
        System.out.println("     " + (!broken.healthy() && real.healthy() ? "The broken server shows the symptom; the real one does not."
                : broken.healthy() ? "The broken server did not show the symptom in this short measurement."
                : "Both servers showed it: the machine may be too busy to tell; run it again."));
    }

    @Command(name = "check", description = "Run the contract suite against your own servers (the working tree) and list what passes: "
            + "in-process for the Java ones, on the wire for the Python peers.")
    int check(@Option(names = "--servers", split = ",", paramLabel = "NAMES", defaultValue = "sync,thread-per-conn,selector,virtual-thread",
                      description = "The servers to grade (default: ${DEFAULT-VALUE}); a Python peer (py-asyncore, ...) or "
                          + "'python' for every one of them is held to the contract on the wire; a line server (selector-lines, ..., "
                          + "py-asynchat, or 'lines' for all) to the framing contract.") List<String> servers)
            throws IOException, InterruptedException {
        Path root = checkout.root();
        Path benchJar = benchJar(root);
        List<Path> ahead = new ArrayList<>();
        for (ServerCatalogue.Teaching e : ServerCatalogue.teaching()) {
            Path jar = e.jarIn(root);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no " + jar + ": build it first (./echolab builds what is missing)");
            }
            ahead.add(jar);
        }
        List<ServerCatalogue.Entry> among = new ArrayList<>(ServerCatalogue.teaching());
        among.addAll(ServerCatalogue.python());
        among.addAll(ServerCatalogue.lines());
        List<ServerCatalogue.Entry> graded;
        try {
            graded = ServerCatalogue.named(servers, among);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean allPassed = true;
        for (ServerCatalogue.Entry entry : graded) {
            String server = entry.name();
            List<TestResult> results = entry instanceof ServerCatalogue.PythonPeer peer ? ContractSuite.onTheWire(peer, root)
                    : ContractSuite.run(server, ahead, benchJar);
            long failed = results.stream().filter(TestResult::failed).count();
            allPassed &= failed == 0;
            System.out.printf("%s: %d passed, %d failed, %d skipped%n", server, results.stream().filter(TestResult::passed).count(),
                    failed, results.stream().filter(r -> !r.failed() && !r.passed()).count());
            for (TestResult r : results) {
                System.out.printf("  %-4s  %s%s%n", r.passed() ? "pass" : r.failed() ? "FAIL" : "skip", r.test(),
                        r.passed() || r.message() == null ? "" : ": " + r.message());
            }
        }
        System.out.println(allPassed ? "Every server passes the contract." : "Some tests failed: the messages say what the server did.");
        return allPassed ? 0 : 1;
    }

    private static Path benchJar(Path root) {
        Path jar = root.resolve("bench/cli/target/bench.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no " + jar + ": build it first (./echolab builds what is missing)");
        }
        return jar;
    }
}
