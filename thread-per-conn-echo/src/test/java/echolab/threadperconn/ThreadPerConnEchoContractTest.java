package echolab.threadperconn;

import echolab.common.EchoContract;
import echolab.common.EchoServer;

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
