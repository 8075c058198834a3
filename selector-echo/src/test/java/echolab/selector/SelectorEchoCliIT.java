package echolab.selector;

import echolab.contract.EchoCliContract;

/** The command-line contract, run against target/selector-echo.jar in its own JVM. */
class SelectorEchoCliIT extends EchoCliContract {
    @Override
    protected String module() {
        return "selector-echo";
    }
}
