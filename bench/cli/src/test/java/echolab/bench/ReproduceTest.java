package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import echolab.bench.base.Reproduce;

/**
 * A "Reproduce:" command means what it says: for every command that prints one, the printed line, parsed
 * again, gives the same options and parameters as the line it came from, the ones left at their defaults
 * included, and the hidden --root left out.
 */
class ReproduceTest {

    private static final List<List<String>> LINES = List.of(
            List.of("bench"),
            List.of("bench", "--profile", "QUICK", "--only", "selector,native", "--no-pin", "--rate", "12000"),
            List.of("bench", "--only", "sync", "--only", "netty", "--out", "/tmp/a run's folder", "--replace", "--root", "../.."),
            List.of("alloc"),
            List.of("alloc", "--servers", "virtual-thread", "--size", "4096", "--warmup", "1000", "--echoes", "20000", "--out", "x.json"));

    @Test
    void everyPrintedCommandParsesBackToTheSameOptions() {
        for (List<String> line : LINES) {
            CommandSpec first = parsed(line);
            String printed = Reproduce.of(first);
            assertTrue(printed.startsWith("./echolab " + line.get(0) + " "), printed);
            assertTrue(!printed.contains("--root"), "a hidden option is left out: " + printed);
            List<String> words = words(printed.substring("./echolab ".length()));
            CommandSpec again = parsed(words);
            assertEquals(Reproduce.values(first).stream().filter(v -> !v.startsWith("--root=")).toList(),
                    Reproduce.values(again).stream().filter(v -> !v.startsWith("--root=")).toList(), printed);
            assertEquals(printed, Reproduce.of(again), "printing is stable");
        }
    }

    @Test
    void defaultsAreWrittenOutSoThatALaterDefaultCannotChangeTheLine() {
        assertEquals("./echolab bench --profile default --server-cpu 50", Reproduce.of(parsed(List.of("bench"))));
        assertEquals("./echolab alloc --servers sync,thread-per-conn,selector,virtual-thread --size 64 --pipeline 1 --warmup 200000 --echoes 500000",
                Reproduce.of(parsed(List.of("alloc"))));
        assertEquals("./echolab bench --profile default --server-cpu 50 --out '/tmp/a run'\\''s folder'",
                Reproduce.of(parsed(List.of("bench", "--out", "/tmp/a run's folder"))));
    }

    /** Parses {@code line} as ./echolab does; the spec of the subcommand it names. */
    private static CommandSpec parsed(List<String> line) {
        CommandLine main = Main.commandLine();
        CommandLine.ParseResult r = main.parseArgs(line.toArray(String[]::new));
        return r.subcommand().commandSpec();
    }

    /** A command line split as a shell splits it, single quotes included. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && !quoted && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any || word.length() > 0) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        if (any || word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
