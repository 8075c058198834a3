package echolab.threadperconn;

import echolab.contract.EchoContract;
import echolab.common.EchoServer;
import echolab.common.ThreadsPerConnection;

/** The echo contract (PROTOCOL.md), run in-process against ThreadPerConnEchoServer. */
class ThreadPerConnEchoContractTest extends EchoContract {
    @Override
    protected EchoServer.Factory factory() {
        return ThreadPerConnEchoServer::new;
    }

    @Override
    protected ThreadsPerConnection threadsPerConnection() {
        return ThreadsPerConnection.ONE_PLATFORM_THREAD;
    }
}
