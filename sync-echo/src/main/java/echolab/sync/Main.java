package echolab.sync;

import echolab.common.ServerCommand;

/** `java -jar sync-echo.jar [--host H] [--port P]`: the command line lives in echo-common. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServerCommand.run("sync-echo", SyncEchoServer::new, args);
    }
}
