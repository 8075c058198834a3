package echolab.threadperconn;

import echolab.common.ServerCommand;

/** `java -jar thread-per-conn-echo.jar [--host H] [--port P]`: the command line lives in echo-common. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServerCommand.run("thread-per-conn-echo", ThreadPerConnEchoServer::new, args);
    }
}
