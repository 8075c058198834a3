package echolab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import echolab.bench.base.Json;
import echolab.bench.harness.ServerCatalogue.PythonPeer;
import echolab.bench.results.Environment;

/**
 * The Python the Python peers (bench/python/) run on, and what it has: Debian's {@code /usr/bin/python3}, whose
 * {@code python3-*} packages (uvloop, gevent) install for it and not for another {@code python3} that may come
 * first on PATH; {@value #ENV} names another. It is asked once per process, in one run of it, for its version
 * and for each library a peer needs, so that a peer that cannot run here is skipped with the reason (asyncore
 * removed in Python 3.12 by PEP 594, a library not installed), as the io_uring peers are.
 */
public final class PythonPeers {

    /** An interpreter to use instead of Debian's. */
    public static final String ENV = "ECHOLAB_PYTHON";
    /** Where the peers' files are, relative to a checkout. */
    public static final String FOLDER = "bench/python";
    /** The helper every peer imports (arguments, the listening line, the stop summary), in {@link #FOLDER}. */
    public static final String HELPER = "echolab_peer.py";
    private static final String DEBIAN = "/usr/bin/python3";

    /** What the libraries the peers import are, by Debian package, for the reason a peer is skipped. */
    private static final Map<String, String> PACKAGES = Map.of("uvloop", "python3-uvloop", "gevent", "python3-gevent");

    private static final String PROBE = String.join("\n",
            "import importlib, json, sys, warnings",
            "warnings.simplefilter('ignore')",
            "found, missing = {}, {}",
            "for name in " + toPython(java.util.stream.Stream.concat(ServerCatalogue.python().stream(),
                    ServerCatalogue.pythonLines().stream()).flatMap(p -> p.modules().stream()).distinct().sorted().toList()) + ":",
            "    try:",
            "        found[name] = getattr(importlib.import_module(name), '__version__', 'standard library')",
            "    except Exception as e:",
            "        missing[name] = f'{type(e).__name__}: {e}'",
            "print(json.dumps({'version': sys.version.split()[0], 'implementation': sys.implementation.name,",
            "                  'found': found, 'missing': missing}))");

    /** The interpreter and what it has; {@code problem} non-null when it cannot run the peers at all. */
    private record Probe(Environment.Python python, Map<String, String> missing, String problem) {
    }

    private static volatile Probe probe;

    private PythonPeers() {
    }

    /** The interpreter the peers run with. */
    public static String interpreter() {
        String asked = System.getenv(ENV);
        if (asked != null && !asked.isBlank()) {
            return asked.strip();
        }
        return Files.isExecutable(Path.of(DEBIAN)) ? DEBIAN : "python3";
    }

    /** The interpreter, its version and the peers' libraries with theirs; null when there is no Python 3 here. */
    public static Environment.Python python() throws InterruptedException {
        return probe().python();
    }

    /** Why {@code peer} cannot run here, or null when it can. */
    public static String whyUnavailable(PythonPeer peer, Path tree) throws InterruptedException {
        Probe p = probe();
        if (p.problem() != null) {
            return p.problem();
        }
        if (!Files.isRegularFile(tree.resolve(peer.script()))) {
            return "no " + peer.script() + " in " + tree;
        }
        for (String module : peer.modules()) {
            String why = p.missing().get(module);
            if (why == null) {
                continue;
            }
            if (module.equals("asyncore") || module.equals("asynchat")) {
                return module + " was removed from Python in 3.12 (PEP 594); " + p.python().interpreter() + " is "
                        + p.python().version();
            }
            String pkg = PACKAGES.get(module);
            return p.python().interpreter() + " has no " + module + (pkg == null ? "" : " (Debian: apt-get install " + pkg + ")")
                    + ": " + why;
        }
        return null;
    }

    private static Probe probe() throws InterruptedException {
        Probe p = probe;
        if (p == null) {
            p = run(interpreter());
            probe = p;
        }
        return p;
    }

    private static Probe run(String interpreter) throws InterruptedException {
        try {
            ChildProcess.Result r = ChildProcess.run(List.of(interpreter, "-c", PROBE), null, Duration.ofSeconds(30));
            if (!r.ok()) {
                return new Probe(null, Map.of(), interpreter + " did not run: " + r.output().strip());
            }
            JsonNode answer = Json.MAPPER.readTree(r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
            Map<String, String> found = Json.MAPPER.convertValue(answer.path("found"), Json.MAPPER.getTypeFactory()
                    .constructMapType(java.util.TreeMap.class, String.class, String.class));
            Map<String, String> missing = Json.MAPPER.convertValue(answer.path("missing"), Json.MAPPER.getTypeFactory()
                    .constructMapType(java.util.TreeMap.class, String.class, String.class));
            String version = answer.path("version").asText("");
            if (!version.startsWith("3.")) {
                return new Probe(null, Map.of(), interpreter + " is not Python 3: " + r.output().strip());
            }
            return new Probe(new Environment.Python(interpreter, answer.path("implementation").asText() + " " + version, found),
                    missing, null);
        } catch (IOException e) {
            return new Probe(null, Map.of(), "no Python 3 to run the Python peers (" + interpreter + ": " + e.getMessage()
                    + "; Debian: apt-get install python3)");
        }
    }

    private static String toPython(List<String> names) {
        return "[" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "]";
    }
}
