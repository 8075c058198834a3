package echolab.virtualthread;

import echolab.contract.EchoCliContract;

/** The command-line contract, run against target/virtual-thread-echo.jar in its own JVM. */
class VirtualThreadEchoCliIT extends EchoCliContract {
    @Override
    protected String module() {
        return "virtual-thread-echo";
    }
}
