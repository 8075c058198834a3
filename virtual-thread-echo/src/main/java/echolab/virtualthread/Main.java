package echolab.virtualthread;

import echolab.common.ServerCommand;

/** `java -jar virtual-thread-echo.jar [--host H] [--port P]`: the command line lives in echo-common. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServerCommand.run("virtual-thread-echo", VirtualThreadEchoServer::new, args);
    }
}
