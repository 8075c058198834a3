package echolab.sync;

import echolab.common.EchoContract;
import echolab.common.EchoServer;

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
