package echolab.bench.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import echolab.bench.harness.ServerCatalogue;

/**
 * One "what is wrong here?" exercise: a classic mistake, kept as a small patch against a real teaching
 * file or a Python peer's file (so it follows the file as it changes), with the question a student is asked, a hint, the answer,
 * and the symptom a short measurement shows. Each lives in one file,
 * {@code bench/course/src/main/resources/echolab/bench/exercise/exercises/NAME.patch}: a header of
 * {@code Key: value} lines (a value goes on over lines that start with a space), a blank line, and the
 * unified diff.
 *
 * @param server the teaching server, or the Python peer, whose file it breaks
 * @param section the numbered section of the file where the mistake is
 * @param symptom what {@code exercise run} measures to show the mistake
 * @param patch the unified diff, as lines
 */
public record Exercise(String name, String server, int section, String title, String question, String hint, String answer,
                       Symptom symptom, List<String> patch) {

    /** The Python peer whose file it breaks; empty when it breaks a Java teaching file. */
    public Optional<ServerCatalogue.PythonPeer> pythonPeer() {
        return java.util.stream.Stream.concat(ServerCatalogue.python().stream(), ServerCatalogue.pythonLines().stream())
                .filter(p -> p.name().equals(server)).findFirst();
    }

    /** The Java server whose file it breaks (a teaching server or a line server); empty when it breaks a Python peer's. */
    public Optional<ServerCatalogue.TeachingServer> javaServer() {
        return ServerCatalogue.javaFiles().stream().filter(t -> t.name().equals(server)).findFirst();
    }

    /** The file it breaks, relative to a checkout. */
    public String source() {
        return pythonPeer().map(ServerCatalogue.PythonPeer::script).orElseGet(() -> javaServer().orElseThrow().source());
    }

    /** The exercises in their reading order (the order of exercises/index.txt). */
    public static List<Exercise> all() throws IOException {
        List<Exercise> out = new ArrayList<>();
        for (String name : resource("index.txt").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            out.add(parse(name, resource(name + ".patch")));
        }
        return out;
    }

    /** The exercise called {@code name}; IllegalArgumentException listing the names otherwise. */
    public static Exercise named(String name) throws IOException {
        List<Exercise> all = all();
        return all.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no exercise '" + name + "'; the exercises are: " + String.join(", ", all.stream().map(Exercise::name).toList())));
    }

    static Exercise parse(String name, String text) {
        List<String> lines = text.lines().toList();
        Map<String, StringBuilder> header = new LinkedHashMap<>();
        String key = null;
        int i = 0;
        for (; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String line = lines.get(i);
            if (Character.isWhitespace(line.charAt(0)) && key != null) {
                header.get(key).append(' ').append(line.strip());
            } else {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(name + ".patch: header line without 'Key:': " + line);
                }
                key = line.substring(0, colon).strip().toLowerCase();
                header.put(key, new StringBuilder(line.substring(colon + 1).strip()));
            }
        }
        List<String> patch = lines.subList(Math.min(i + 1, lines.size()), lines.size());
        for (String required : List.of("server", "section", "title", "question", "hint", "answer", "symptom")) {
            if (!header.containsKey(required)) {
                throw new IllegalArgumentException(name + ".patch: no '" + required + ":' in its header");
            }
        }
        if (patch.stream().noneMatch(l -> l.startsWith("@@"))) {
            throw new IllegalArgumentException(name + ".patch: no diff after the header");
        }
        return new Exercise(name, header.get("server").toString(), Integer.parseInt(header.get("section").toString()),
                header.get("title").toString(), header.get("question").toString(), header.get("hint").toString(),
                header.get("answer").toString(), Symptom.named(header.get("symptom").toString()), List.copyOf(patch));
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = Exercise.class.getResourceAsStream("exercises/" + file)) {
            if (in == null) {
                throw new IOException("no exercises/" + file + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
