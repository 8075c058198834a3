package echolab.sync;

import echolab.contract.EchoCliContract;

/** The command-line contract, run against target/sync-echo.jar in its own JVM. */
class SyncEchoCliIT extends EchoCliContract {
    @Override
    protected String module() {
        return "sync-echo";
    }

    @Override
    protected boolean servesConcurrently() {
        return false;
    }
}
