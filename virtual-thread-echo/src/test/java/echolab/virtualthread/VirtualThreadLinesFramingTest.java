package echolab.virtualthread;

import echolab.contract.FramingContract;
import echolab.common.EchoServer;
import echolab.common.Framing;

/** The framing contract (PROTOCOL.md, "Messages over the stream"), run in-process against VirtualThreadLinesServer. */
class VirtualThreadLinesFramingTest extends FramingContract {
    @Override
    protected EchoServer.Factory factory(Framing framing) {
        return (address, connections) -> new VirtualThreadLinesServer(address, connections, framing);
    }
}
