package echolab.bench.exercise;

import echolab.bench.harness.ServerCatalogue;
import echolab.common.ThreadsPerConnection;
import echolab.contract.EchoContract;
import echolab.common.EchoServer;

/**
 * The contract suite against the teaching server named by {@code -Decholab.contract.server}, as its
 * class is found on the class path: the real one, a student's, or an exercise's broken copy placed
 * ahead of it. Run by {@link ContractRunner} in a JVM of its own.
 */
public class CatalogueServerContract extends EchoContract {

    static final String SERVER_PROPERTY = "echolab.contract.server";

    private static ServerCatalogue.Teaching entry() {
        return ServerCatalogue.teachingServer(System.getProperty(SERVER_PROPERTY, ""));
    }

    @Override
    protected EchoServer.Factory factory() {
        return entry().factory();
    }

    @Override
    protected boolean servesConcurrently() {
        return !entry().oneAtATime();
    }

    @Override
    protected ThreadsPerConnection threadsPerConnection() {
        return entry().threads();
    }
}
