package echolab.bench.harness;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The hidden {@code --root} of the commands that work in a checkout: tests point it at a copy; ./echolab sets it by property. */
public final class Checkout {

    @Option(names = "--root", hidden = true, paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The echo-lab checkout (set by ./echolab); the actions of a command take it too.")
    Path root;

    /** The checkout: --root, else what the launcher passed, else here. */
    public Path root() {
        return Machine.root(root);
    }
}
