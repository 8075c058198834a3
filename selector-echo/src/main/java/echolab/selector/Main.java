package echolab.selector;

import echolab.common.ServerCommand;

/** `java -jar selector-echo.jar [--host H] [--port P]`: the command line lives in echo-common. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServerCommand.run("selector-echo", SelectorEchoServer::new, args);
    }
}
