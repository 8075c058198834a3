package echolab.selector;

import echolab.contract.EchoContract;
import echolab.common.EchoServer;
import echolab.common.ThreadsPerConnection;

/** The echo contract (PROTOCOL.md), run in-process against SelectorEchoServer. */
class SelectorEchoContractTest extends EchoContract {
    @Override
    protected EchoServer.Factory factory() {
        return SelectorEchoServer::new;
    }

    @Override
    protected ThreadsPerConnection threadsPerConnection() {
        return ThreadsPerConnection.NONE;
    }
}
