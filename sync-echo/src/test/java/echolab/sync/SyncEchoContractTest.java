package echolab.sync;

import echolab.contract.EchoContract;
import echolab.common.EchoServer;
import echolab.common.ThreadsPerConnection;

/** The echo contract (PROTOCOL.md), run in-process against SyncEchoServer. */
class SyncEchoContractTest extends EchoContract {
    @Override
    protected EchoServer.Factory factory() {
        return SyncEchoServer::new;
    }

    @Override
    protected boolean servesConcurrently() {
        return false;
    }

    @Override
    protected ThreadsPerConnection threadsPerConnection() {
        return ThreadsPerConnection.NONE;
    }
}
