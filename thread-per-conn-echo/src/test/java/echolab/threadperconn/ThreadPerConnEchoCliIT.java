package echolab.threadperconn;

import echolab.common.EchoCliContract;

/** The command-line contract, run against target/thread-per-conn-echo.jar in its own JVM. */
class ThreadPerConnEchoCliIT extends EchoCliContract {
    @Override
    protected String module() {
        return "thread-per-conn-echo";
    }
}
