package echolab.bench.exercise;

import echolab.bench.harness.ServerCatalogue;
import echolab.common.EchoServer;
import echolab.common.Framing;
import echolab.contract.FramingContract;

/**
 * The framing contract against the line server named by {@code -Decholab.contract.server}, as its class is found
 * on the class path: the real one, a student's, or an exercise's broken copy placed ahead of it. Run by
 * {@link ContractRunner} in a JVM of its own, as {@link CatalogueServerContract} is for the teaching servers.
 */
public class CatalogueLinesContract extends FramingContract {

    @Override
    protected EchoServer.Factory factory(Framing framing) {
        ServerCatalogue.Lines entry = (ServerCatalogue.Lines) ServerCatalogue.named(
                System.getProperty(CatalogueServerContract.SERVER_PROPERTY, ""), ServerCatalogue.lines());
        return (address, connections) -> entry.framed().open(address, connections, framing);
    }
}
