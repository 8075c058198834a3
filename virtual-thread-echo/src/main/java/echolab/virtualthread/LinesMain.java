package echolab.virtualthread;

import echolab.common.ServerCommand;

/** `java -cp virtual-thread-echo.jar echolab.virtualthread.LinesMain [--host H] [--port P]`: virtual-thread-lines, its lines ending in \n. */
public final class LinesMain {
    private LinesMain() {
    }

    public static void main(String[] args) {
        ServerCommand.run("virtual-thread-lines", VirtualThreadLinesServer::new, args);
    }
}
