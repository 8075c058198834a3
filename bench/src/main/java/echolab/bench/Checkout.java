package echolab.bench;

import java.nio.file.Path;

import echolab.bench.harness.Machine;
import picocli.CommandLine.Option;

/** The hidden {@code --root} of the commands that work in a checkout: tests point it at a copy; ./echolab sets it by property. */
public final class Checkout {

    @Option(names = "--root", hidden = true, paramLabel = "DIR", description = "The echo-lab checkout (set by ./echolab).")
    Path root;

    /** The checkout: --root, else what the launcher passed, else here. */
    public Path root() {
        return Machine.root(root);
    }
}
