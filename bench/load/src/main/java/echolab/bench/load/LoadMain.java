package echolab.bench.load;

import echolab.common.Lifeline;
import picocli.CommandLine;

/**
 * {@code java -jar echo-load.jar [options]}: the load generator on its own, what a load host needs and nothing
 * else (the JDK, HdrHistogram, Jackson, picocli). {@code ./echolab load --agent} runs it on each host of
 * {@code --load-hosts}.
 */
public final class LoadMain {

    private LoadMain() {
    }

    public static void main(String[] args) {
        Lifeline.watchIfAsked("echolab");            // run as another tool's child (a test's, say): end with it
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }
}
