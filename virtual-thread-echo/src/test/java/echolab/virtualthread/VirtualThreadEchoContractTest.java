package echolab.virtualthread;

import echolab.contract.EchoContract;
import echolab.common.EchoServer;
import echolab.common.ThreadsPerConnection;

/** The echo contract (PROTOCOL.md), run in-process against VirtualThreadEchoServer. */
class VirtualThreadEchoContractTest extends EchoContract {
    @Override
    protected EchoServer.Factory factory() {
        return VirtualThreadEchoServer::new;
    }

    @Override
    protected ThreadsPerConnection threadsPerConnection() {
        return ThreadsPerConnection.ONE_VIRTUAL_THREAD;
    }
}
