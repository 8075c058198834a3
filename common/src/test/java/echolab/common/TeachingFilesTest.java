package echolab.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps the four teaching files lined up for readers who print them side by side: the same numbered
 * sections in the same order; section 3 ("Echo one connection") the same code in the three blocking
 * servers; thread-per-conn and virtual-thread different only in the line that starts a thread.
 */
class TeachingFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final Path SYNC = ROOT.resolve("sync-echo/src/main/java/echolab/sync/SyncEchoServer.java");
    private static final Path THREAD_PER_CONN = ROOT.resolve(
            "thread-per-conn-echo/src/main/java/echolab/threadperconn/ThreadPerConnEchoServer.java");
    private static final Path SELECTOR = ROOT.resolve("selector-echo/src/main/java/echolab/selector/SelectorEchoServer.java");
    private static final Path VIRTUAL_THREAD = ROOT.resolve(
            "virtual-thread-echo/src/main/java/echolab/virtualthread/VirtualThreadEchoServer.java");

    private static final List<String> SECTIONS = List.of(
            "1. Listen", "2. Wait for work and dispatch", "3. Echo one connection", "4. Errors and close", "5. Stop");
    private static final Pattern MARKER = Pattern.compile("^\\s*// ==== (\\d\\. [^=]+?) ====\\s*$");

    @Test
    void allFourHaveTheSameSectionsInTheSameOrder() throws IOException {
        for (Path file : List.of(SYNC, THREAD_PER_CONN, SELECTOR, VIRTUAL_THREAD)) {
            assertEquals(SECTIONS, List.copyOf(sections(file).keySet()), file.toString());
        }
    }

    @Test
    void theBlockingServersShareSectionThreeWordForWord() throws IOException {
        List<String> sync = sections(SYNC).get("3. Echo one connection");
        assertEquals(sync, sections(THREAD_PER_CONN).get("3. Echo one connection"), "thread-per-conn differs from sync");
        assertEquals(sync, sections(VIRTUAL_THREAD).get("3. Echo one connection"), "virtual-thread differs from sync");
    }

    @Test
    void threadPerConnAndVirtualThreadDifferOnlyWhereTheThreadStarts() throws IOException {
        Map<String, List<String>> platform = sections(THREAD_PER_CONN);
        Map<String, List<String>> virtual = sections(VIRTUAL_THREAD);
        List<String> differences = new ArrayList<>();
        for (String section : SECTIONS) {
            List<String> a = normalise(platform.get(section));
            List<String> b = normalise(virtual.get(section));
            assertEquals(a.size(), b.size(), "section " + section + " has a different number of lines");
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    differences.add(a.get(i).strip() + "  <->  " + b.get(i).strip());
                }
            }
        }
        assertEquals(1, differences.size(), "expected exactly one differing line, got: " + differences);
        assertTrue(differences.get(0).contains("Thread.ofPlatform()") && differences.get(0).contains("Thread.ofVirtual()"),
                differences.get(0));
    }

    /** Section title to its lines (marker excluded), up to the next marker or the end of the class. */
    private static Map<String, List<String>> sections(Path file) throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(file)) {
            Matcher marker = MARKER.matcher(line);
            if (line.equals("}")) {
                current = null;                    // the end of the top-level class ends section 5
            } else if (marker.matches()) {
                current = new ArrayList<>();
                sections.put(marker.group(1), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        assertTrue(!sections.isEmpty(), "no section markers in " + file);
        return sections;
    }

    /** The class names differ by design. */
    private static List<String> normalise(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.replace("ThreadPerConnEchoServer", "Server").replace("VirtualThreadEchoServer", "Server"));
        }
        return out;
    }
}
