package echolab.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;


import echolab.bench.harness.Machine;
import echolab.bench.harness.Pinning;
import picocli.CommandLine.Command;
import echolab.bench.base.Json;

/** {@code java -jar bench.jar environment}: this machine and checkout as JSON, the record ./echolab jmh keeps beside its results. */
@Command(name = "environment", hidden = true, description = "Print this machine and checkout as JSON (the environment of a run).")
public final class EnvironmentCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path root = Machine.root(null);
        System.out.println(Json.PRETTY.writeValueAsString(Machine.describe(root, new Pinning(null, null))));
        return 0;
    }
}
